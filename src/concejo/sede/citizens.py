"""Who the signed-in citizen is, and for whom they may act, before an entity."""

from __future__ import annotations

from functools import cache

from django.db.models import Q, QuerySet
from django.utils import timezone

from concejo.cases.models import Case
from concejo.core.reads import columns, prepared_value, read_models
from concejo.people.models import Person, Representation
from concejo.registry.models import RegistryEntry, RegistryInterested


def my_persons(user) -> QuerySet[Person]:
    return Person.objects.filter(user=user)


def valid_representations(user) -> QuerySet[Representation]:
    """Powers the citizen holds or granted that are valid today."""
    today = timezone.localdate()
    mine = my_persons(user)
    return (
        Representation.objects.filter(
            Q(representative__in=mine) | Q(grantor__in=mine),
            revoked_at__isnull=True,
            valid_from__lte=today,
            valid_to__gte=today,
        )
        .select_related("grantor", "representative", "entity")
        .prefetch_related("procedures")
    )


def acting_options(user, entity, procedure_code: str | None = None) -> list[Person]:
    """The citizen themself and everyone who empowered them for this entity (and procedure)."""
    from concejo.people.selectors import representation_valid

    own = list(my_persons(user).filter(entity=entity))
    options = list(own)
    grantors = (
        Representation.objects.filter(representative__in=my_persons(user), revoked_at__isnull=True)
        .select_related("grantor")
        .values_list("grantor__id_number", flat=True)
        .distinct()
    )
    for id_number in grantors:
        grantor = Person.objects.filter(entity=entity, id_number=id_number).first()
        if grantor is None or grantor in options:
            continue
        if any(
            representation_valid(
                representative_id_number=person.id_number,
                grantor_id_number=id_number,
                entity=entity,
                procedure_code=procedure_code,
            )
            for person in own
        ):
            options.append(grantor)
    return options


@cache
def _submission_sql() -> str:
    """One of a citizen's entries with its entity and receipt, the case it opened
    (if any) and whether its procedure opens one on request."""
    from concejo.organization.models import Entity
    from concejo.procedures.models import ProcedureVersion
    from concejo.verification.models import IssuedDocument

    t = {m.__name__: m._meta.db_table for m in (RegistryEntry, Entity, IssuedDocument,
                                                 ProcedureVersion, Case, Person, RegistryInterested)}  # fmt: skip
    opened = f"FROM {t['Case']} c WHERE c.origin_entry_id = r.id ORDER BY c.created_at LIMIT 1"
    return (
        f"SELECT {columns(RegistryEntry, 'r')}, {columns(Entity, 'e')}, "  # noqa: S608 - names from the models
        f"{columns(IssuedDocument, 'd')}, (SELECT c.id {opened}), (SELECT c.case_code {opened}), "
        f"v.initiation FROM {t['RegistryEntry']} r JOIN {t['Entity']} e ON e.id = r.entity_id "
        f"LEFT JOIN {t['IssuedDocument']} d ON d.id = r.receipt_id "
        f"LEFT JOIN {t['ProcedureVersion']} v ON v.id = r.procedure_version_id "
        f"WHERE r.id = %s AND (r.representative_id IN "
        f"(SELECT p.id FROM {t['Person']} p WHERE p.user_id = %s) OR EXISTS (SELECT 1 FROM "
        f"{t['RegistryInterested']} i JOIN {t['Person']} p ON p.id = i.person_id "
        f"WHERE i.entry_id = r.id AND p.user_id = %s))"
    )


def my_submission(user, entry_id) -> RegistryEntry | None:
    """One of the citizen's submissions (as interested party or representative), or None.

    With its entity and receipt, and, for the confirmation page, `case_id` and
    `case_code` of the case it opened (None while there is none) and
    `opens_case` (its procedure opens a case on request). Every submission
    reads it: one prepared statement (core.reads).
    """
    from concejo.organization.models import Entity
    from concejo.procedures.models import Initiation
    from concejo.verification.models import IssuedDocument

    key = prepared_value(RegistryEntry, "id", entry_id)
    user_key = prepared_value(Person, "user", getattr(user, "pk", user))
    rows = read_models(
        _submission_sql(), [key, user_key, user_key],
        [(RegistryEntry, "r"), (Entity, "e"), (IssuedDocument, "d")],
    )  # fmt: skip
    if not rows:
        return None
    entry, entity, receipt, case_id, case_code, initiation = rows[0]
    entry.entity, entry.receipt = entity, receipt
    entry.case_id = Case._meta.pk.to_python(case_id) if case_id is not None else None
    entry.case_code, entry.opens_case = case_code, initiation == Initiation.ON_REQUEST
    return entry


def my_submissions(user) -> QuerySet[RegistryEntry]:
    mine = my_persons(user)
    return (
        RegistryEntry.objects.filter(Q(interested__person__in=mine) | Q(representative__in=mine))
        .select_related("entity", "receipt", "procedure_version")
        .distinct()
        .order_by("-filed_at", "-id")
    )


def my_cases(user) -> QuerySet[Case]:
    return (
        Case.objects.filter(parties__person__in=my_persons(user))
        .select_related("entity", "procedure_version")
        .distinct()
        .order_by("-created_at", "-id")
    )
