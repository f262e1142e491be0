"""Reads of street reports: the triage queue, SLA lists, the public map and the dashboard."""

from __future__ import annotations

import datetime as dt
import statistics

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.core.errors import field_error
from concejo.sectors.cleaning.addresses import address_parse
from concejo.sectors.cleaning.models import Report, ReportStatus, StreetAddress
from concejo.sectors.cleaning.services import OPEN311_CLOSED

OPEN = ~Q(status__in=OPEN311_CLOSED)


def reports_queue(
    entity, *, status: str = "", category: str = "", district: str = "", sla: str = "",
    text: str = "",
) -> QuerySet[Report]:  # fmt: skip
    """The backoffice queue, newest first; sla = "overdue" | "due_soon" (next 24 h)."""
    reports = Report.objects.filter(entity=entity).select_related(
        "category", "district", "crew", "unit"
    )
    if status == "open":
        reports = reports.filter(OPEN)
    elif status:
        reports = reports.filter(status=status)
    if category:
        reports = reports.filter(category__code=category)
    if district:
        reports = reports.filter(district__code=district)
    now = timezone.now()
    if sla == "overdue":
        reports = reports.filter(OPEN, due_at__lt=now)
    elif sla == "due_soon":
        reports = reports.filter(OPEN, due_at__gte=now, due_at__lt=now + dt.timedelta(hours=24))
    if text:
        reports = reports.filter(Q(tracking_number__iexact=text) | Q(description__icontains=text))
    return reports.order_by("-created_at", "-id")


def public_reports(entity) -> QuerySet[Report]:
    """What the public map shows: open reports, no personal data (the caller picks fields)."""
    return (
        Report.objects.filter(entity=entity)
        .filter(OPEN)
        .exclude(status=ReportStatus.SUBMITTED)
        .select_related("category")
        .order_by("-created_at")
    )


def dashboard(entity, since: dt.datetime | None = None) -> dict:
    """Open reports by category and district, SLA compliance and median time to fix."""
    since = since or timezone.now() - dt.timedelta(days=90)
    reports = Report.objects.filter(entity=entity)
    open_by_category = list(
        reports.filter(OPEN).values("category__name").annotate(n=Count("id")).order_by("-n")
    )
    open_by_district = list(
        reports.filter(OPEN).values("district__name").annotate(n=Count("id")).order_by("-n")
    )
    finished = reports.filter(
        closed_at__isnull=False,
        closed_at__gte=since,
        status__in=[ReportStatus.FIXED, ReportStatus.CLOSED],
    )
    total = finished.count()
    on_time = finished.filter(closed_at__lte=F("due_at")).count()
    hours = [
        (closed - created).total_seconds() / 3600
        for created, closed in finished.values_list("created_at", "closed_at")[:20000]
    ]
    return {
        "open_by_category": open_by_category,
        "open_by_district": open_by_district,
        "finished": total,
        "sla_compliance": round(100 * on_time / total, 1) if total else None,
        "median_hours_to_fix": round(statistics.median(hours), 1) if hours else None,
        "overdue": reports.filter(OPEN, due_at__lt=timezone.now()).count(),
    }


def address_get(entity, address_id: str) -> StreetAddress:
    """The entity's gazetteer address with that public id (`unknown_address` otherwise)."""
    found = StreetAddress.objects.filter(entity=entity, address_id=(address_id or "").strip())
    address = found.first()
    if address is None:
        raise field_error(
            "address_id",
            _("No hay ninguna dirección «%(a)s» en el callejero.") % {"a": address_id},
            code="unknown_address",
        )
    return address


def _candidates(entity, text: str) -> QuerySet[StreetAddress]:
    parsed = address_parse(text)
    found = StreetAddress.objects.filter(entity=entity, street_key=parsed.street_key)
    if parsed.street_type:
        found = found.filter(street_type=parsed.street_type)
    if parsed.number_key:
        found = found.filter(number_key=parsed.number_key)
    if parsed.postcode:
        found = found.filter(postcode=parsed.postcode)
    return found.order_by("street_type", "number_key")


def address_match(entity, text: str) -> StreetAddress:
    """The one gazetteer address a typed address names (see addresses.address_parse).

    Case, accents, punctuation, particles and the street type's abbreviation do
    not matter; a missing type or number matches any. None, or more than one,
    is a refusal on the field `address_string`.
    """
    found = list(_candidates(entity, text)[:4]) if address_parse(text).street_key else []
    if not found:
        raise field_error(
            "address_string",
            _("«%(t)s» no está en el callejero: revise el tipo de vía, el nombre y el número, "
              "o indique latitud y longitud.") % {"t": text},
            code="address_not_found",
        )  # fmt: skip
    if len(found) > 1:
        shown = "; ".join(a.label for a in found[:3]) + ("…" if len(found) > 3 else "")
        raise field_error(
            "address_string",
            _("«%(t)s» puede ser más de una dirección (%(a)s): indique el tipo de vía y el número.")
            % {"t": text, "a": shown},
            code="address_ambiguous",
        )  # fmt: skip
    return found[0]
