"""Documents generated from templates with a case's data, issued as PDF with their CSV."""

from __future__ import annotations

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.platypus import Paragraph, Spacer

from concejo.core.errors import field_error
from concejo.core.pdf import BODY, TITLE, build_pdf, csv_footer, esc

# A bare engine: no loaders, no custom tags, autoescaping on. Templates only
# read the context below; they cannot reach the database or the file system.
ENGINE = Engine(autoescape=True, libraries={}, builtins=["django.template.defaultfilters"])

CONTEXT_HELP = {
    "entity": "la entidad (name, nif, dir3_code)",
    "case": "el expediente (case_code, subject, eni_identifier, resolution_due, started_at)",
    "unit": "la unidad responsable (name)",
    "applicant": "el primer interesado (display_name, id_number, address, municipality)",
    "procedure": "la versión del procedimiento (name, max_resolution_amount, silence_effect)",
    "today": "la fecha de hoy",
    "extra": "datos añadidos al generar (p. ej. extra.motivo)",
}


def template_compile(body: str):
    try:
        return ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise field_error(
            "body", _("La plantilla tiene un error: %(e)s") % {"e": exc}, code="invalid_template"
        ) from exc


def _pick(obj, *names) -> dict:
    """Plain values only: a template never gets a model (and so never a query)."""
    if obj is None:
        return {}
    return {name: getattr(obj, name) for name in names}


def template_context(case, extra: dict | None = None) -> dict:
    applicant = case.parties.filter(role="applicant").select_related("person").first()
    person = applicant.person if applicant else None
    return {
        "entity": _pick(case.entity, "name", "nif", "dir3_code"),
        "case": {
            **_pick(
                case,
                "case_code",
                "subject",
                "eni_identifier",
                "resolution_due",
                "started_at",
                "year",
                "number",
            ),
            "get_status_display": case.get_status_display(),
        },
        "unit": _pick(case.responsible_unit, "name", "dir3_code"),
        "applicant": {
            **_pick(person, "id_number", "address", "postal_code", "municipality", "email"),
            "display_name": person.display_name if person else "",
        },
        "procedure": _pick(
            case.procedure_version, "name", "max_resolution_amount", "silence_effect"
        ),
        "today": timezone.localdate(),
        "extra": {str(k): str(v) for k, v in (extra or {}).items()},
    }


def render_title(template, case, extra: dict | None = None) -> str:
    title = template_compile(template.title).render(Context(template_context(case, extra)))
    return " ".join(title.split()) or template.name


def render_template_pdf(*, template, case, extra: dict | None, csv_display: str, url: str) -> bytes:
    """Paragraphs of the filled body under the template's title, CSV and QR at the foot."""
    text = template_compile(template.body).render(Context(template_context(case, extra)))
    title = render_title(template, case, extra)
    story = [Paragraph(esc(case.entity.name), BODY), Paragraph(esc(title), TITLE)]
    for paragraph in [p.strip() for p in text.split("\n\n") if p.strip()]:
        # The engine already escaped the data; keep line breaks inside a paragraph.
        story += [Paragraph(paragraph.replace("\n", "<br/>"), BODY), Spacer(1, 4)]
    story.append(Paragraph(esc(f"Expediente {case.case_code} · {case.eni_identifier}"), BODY))
    return build_pdf(
        story, title=title, author=case.entity.name, footer=csv_footer(csv_display, url)
    )
