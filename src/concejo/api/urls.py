from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from concejo.organization import api as organization_api
from concejo.people import api as people_api

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("organization/entities", organization_api.EntityListView.as_view(), name="entity-list"),
    path("organization/units", organization_api.UnitListView.as_view(), name="unit-list"),
    path("people/persons", people_api.PersonListView.as_view(), name="person-list"),
    path(
        "people/persons/<uuid:person_id>",
        people_api.PersonDetailView.as_view(),
        name="person-detail",
    ),
    path(
        "people/representations",
        people_api.RepresentationListView.as_view(),
        name="representation-list",
    ),
    path(
        "people/representations/check",
        people_api.RepresentationCheckView.as_view(),
        name="representation-check",
    ),
    path(
        "people/representations/<uuid:representation_id>/revoke",
        people_api.RepresentationRevokeView.as_view(),
        name="representation-revoke",
    ),
]
