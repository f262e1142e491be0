"""Checks on organisational codes shared by entities, units and offices."""

import re

from django.utils.translation import gettext as _

from concejo.core.errors import field_error

DIR3_RE = re.compile(r"^[A-Z][A-Z0-9]{8}$")
INE_RE = re.compile(r"^\d{5}$")


def clean_dir3(value: str, *, field: str = "dir3_code") -> str:
    code = (value or "").strip().upper()
    if not DIR3_RE.match(code):
        raise field_error(
            field,
            _("El código DIR3 debe tener 9 caracteres: una letra seguida de letras o cifras."),
            code="invalid_dir3",
        )
    return code


def clean_ine(value: str) -> str:
    code = (value or "").strip()
    if not INE_RE.match(code):
        raise field_error(
            "ine_code", _("El código INE del municipio tiene 5 cifras."), code="invalid_ine"
        )
    return code


def ensure_code_free(code: str, *, field: str = "dir3_code", exclude_pk=None) -> None:
    """DIR3 codes form one namespace: no entity, unit or office may share one."""
    from concejo.organization.models import Entity, Office, Unit

    for model, attr in ((Entity, "dir3_code"), (Unit, "dir3_code"), (Office, "code")):
        qs = model.objects.filter(**{attr: code})
        if exclude_pk is not None:
            qs = qs.exclude(pk=exclude_pk)
        if qs.exists():
            raise field_error(
                field,
                _("El código %(code)s ya está asignado a otra entidad, unidad u oficina.")
                % {"code": code},
                code="duplicate_code",
            )
