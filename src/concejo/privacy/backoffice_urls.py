from django.urls import path

from concejo.privacy import backoffice

app_name = "privacy_desk"

urlpatterns = [
    path("accesos/", backoffice.access_report, name="access-report"),
    path("conservacion/", backoffice.retention, name="retention"),
    path("solicitudes/", backoffice.subject_requests, name="subject-requests"),
    path("solicitudes/<uuid:case_id>/", backoffice.subject_request, name="subject-request"),
    path(
        "solicitudes/<uuid:case_id>/exportaciones/<uuid:export_id>.json",
        backoffice.export_download,
        name="export-download",
    ),
]
