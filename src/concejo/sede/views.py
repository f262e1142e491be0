"""Public pages of the sede electrónica."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from concejo.organization import selectors as organization


def home(request):
    entities = organization.entity_list()
    return render(
        request,
        "sede/home.html",
        {"entities": entities, "now": timezone.localtime()},
    )


def entity_home(request, dir3_code: str):
    entity = organization.entity_list().filter(dir3_code=dir3_code.upper()).first()
    if entity is None:
        raise Http404
    return render(
        request,
        "sede/entity_home.html",
        {
            "entity": entity,
            "offices": organization.office_list(entity=entity),
            "dependents": organization.entity_list().filter(parent=entity),
            "now": timezone.localtime(),
        },
    )
