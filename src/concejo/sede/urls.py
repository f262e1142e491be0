from django.contrib.auth import views as auth_views
from django.urls import path

from concejo.sede import folder_views, views

app_name = "sede"

urlpatterns = [
    path("", views.home, name="home"),
    path("carpeta/entrar/", folder_views.FolderLogin.as_view(), name="folder-login"),
    path(
        "carpeta/salir/",
        auth_views.LogoutView.as_view(next_page="/carpeta/entrar/"),
        name="folder-logout",
    ),
    path("carpeta/notificaciones/", folder_views.notification_list, name="folder-notifications"),
    path(
        "carpeta/notificaciones/<uuid:notification_id>/",
        folder_views.notification_detail,
        name="folder-notification",
    ),
    path(
        "carpeta/notificaciones/<uuid:notification_id>/acto",
        folder_views.notification_document,
        name="folder-notification-document",
    ),
    path("<str:dir3_code>/", views.entity_home, name="entity-home"),
    path("<str:dir3_code>/calendario/", views.calendar_page, name="calendar"),
    path("<str:dir3_code>/procedimientos/", views.catalog, name="catalog"),
    path("<str:dir3_code>/procedimientos/<str:sia_code>/", views.procedure_page, name="procedure"),
]
