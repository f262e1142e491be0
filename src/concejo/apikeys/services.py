"""Creating, checking and revoking API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.apikeys.models import ApiApplication, ApiKey
from concejo.apikeys.scopes import SCOPES
from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, field_error
from concejo.core.reads import columns, read_models
from concejo.organization.models import Entity, Role
from concejo.organization.selectors import require_role

KEY_PREFIX = "cj"
LAST_USED_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedKey:
    key: ApiKey
    secret: str  # the full key, shown once


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def clean_scopes(scopes: list[str]) -> list[str]:
    cleaned = sorted({s.strip() for s in scopes if s and s.strip()})
    unknown = [s for s in cleaned if s not in SCOPES]
    if unknown:
        raise field_error(
            "scopes",
            _("Permisos desconocidos: %(s)s. Permitidos: %(a)s.")
            % {"s": ", ".join(unknown), "a": ", ".join(SCOPES)},
            code="unknown_scope",
        )
    return cleaned


@audited_service("apikeys.key.issue")
def api_key_issue(
    *,
    actor: Actor,
    entity: Entity,
    name: str,
    scopes: list[str],
    description: str = "",
    user=None,
) -> IssuedKey:
    """Create (or reuse by name) an application of the entity and issue it a new key.

    With `user` the key is personal: requests made with it act as that employee.
    """
    require_role(actor, entity, Role.ADMINISTRATOR)
    if user is not None and not entity.memberships.filter(user=user, active=True).exists():
        raise field_error("user", _("Esa persona no trabaja en esta entidad."), code="unknown_user")
    name = (name or "").strip()
    if not name:
        raise field_error("name", _("Este campo es obligatorio."), code="required")
    if len(name) > 100:
        raise field_error("name", _("El nombre admite 100 caracteres."), code="too_long")
    scopes = clean_scopes(scopes)
    application, created = ApiApplication.objects.get_or_create(
        entity=entity, name=name, defaults={"scopes": scopes, "description": description}
    )
    if not created and not application.active:
        raise Conflict(_("La aplicación «%(n)s» está desactivada.") % {"n": name}, code="inactive")
    if not created and application.scopes != scopes:
        # Changing scopes would silently change what the older keys may do.
        raise field_error(
            "scopes",
            _(
                "La aplicación «%(n)s» ya existe con los permisos %(s)s; use los mismos u otro nombre."
            )
            % {"n": name, "s": ", ".join(application.scopes)},
            code="scopes_differ",
        )
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        entity=entity, application=application, prefix=prefix, key_hash=_hash(secret), user=user
    )
    audit_record(
        actor=actor,
        action="apikeys.key.issue",
        entity=entity,
        target=key,
        details={
            "application": name,
            "scopes": scopes,
            "user": user.get_username() if user else "",
        },
    )
    return IssuedKey(key=key, secret=secret)


@audited_service("apikeys.key.revoke")
def api_key_revoke(*, actor: Actor, key: ApiKey) -> ApiKey:
    key = ApiKey.objects.select_for_update(of=("self",)).select_related("entity").get(pk=key.pk)
    require_role(actor, key.entity, Role.ADMINISTRATOR)
    if key.revoked_at is not None:
        raise Conflict(_("La clave ya estaba revocada."), code="already_revoked")
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, action="apikeys.key.revoke", entity=key.entity, target=key)
    return key


def _joined() -> list[tuple]:
    """What an API key is read with: its application, that one's entity, its user."""
    return [(ApiKey, "k"), (ApiApplication, "a"), (Entity, "e"), (get_user_model(), "u")]


@cache
def _active_key_sql() -> str:
    """Every API request runs it: one prepared statement instead of an ORM query."""
    (key, k), (application, a), (entity, e), (user, u) = _joined()
    select = ", ".join(columns(model, alias) for model, alias in _joined())
    return (
        f"SELECT {select} FROM {key._meta.db_table} {k} "  # noqa: S608 - names from the models
        f"JOIN {application._meta.db_table} {a} ON {a}.id = {k}.application_id "
        f"JOIN {entity._meta.db_table} {e} ON {e}.id = {a}.entity_id "
        f"LEFT JOIN {user._meta.db_table} {u} ON {u}.id = {k}.user_id "
        f"WHERE {k}.prefix = %s AND {k}.revoked_at IS NULL AND {a}.active AND {e}.active"
    )


def _active_key(prefix: str) -> ApiKey | None:
    """The unrevoked key with this prefix, of an active application of an active entity,
    with its application, the application's entity and its user (if personal) loaded."""
    rows = read_models(_active_key_sql(), [prefix], _joined())
    if not rows:
        return None
    key, application, entity, user = rows[0]
    application.entity = entity
    key.application = application
    key.user = user
    return key


def api_key_authenticate(secret: str) -> ApiKey | None:
    """The active key matching the presented secret, or None."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    key = _active_key(parts[1])
    if key is None or not hmac.compare_digest(key.key_hash, _hash(secret)):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
