from django.urls import path

from concejo.sectors.cleaning import views

app_name = "cleaning"

urlpatterns = [
    path("", views.reports_public, name="public"),
    path("nuevo/", views.report_new, name="new"),
    path("<str:number>/", views.track, name="track"),
    path("<str:number>/foto/", views.photo, name="photo"),
]
