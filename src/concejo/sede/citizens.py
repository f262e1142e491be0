"""Who the signed-in citizen is, and for whom they may act, before an entity."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from concejo.cases.models import Case
from concejo.people.models import Person, Representation
from concejo.registry.models import RegistryEntry


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


def my_submission(user, entry_id) -> RegistryEntry | None:
    """One of the citizen's submissions (as interested party or representative), or None."""
    entry = (
        RegistryEntry.objects.filter(pk=entry_id)
        .select_related("entity", "receipt", "procedure_version")
        .first()
    )
    if entry is None:
        return None
    mine = my_persons(user)
    if entry.representative_id and mine.filter(pk=entry.representative_id).exists():
        return entry
    return entry if entry.interested.filter(person__in=mine).exists() else None


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
