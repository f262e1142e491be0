from django.urls import path

from concejo.privacy import backoffice

app_name = "privacy_desk"

urlpatterns = [
    path("accesos/", backoffice.access_report, name="access-report"),
]
