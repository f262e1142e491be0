from django.urls import include, path

from concejo.sede import apply_views, folder_views, oidc_views, views

app_name = "sede"

urlpatterns = [
    path("", views.home, name="home"),
    path("carpeta/", apply_views.folder_home, name="folder"),
    path("carpeta/entrar/", folder_views.FolderLogin.as_view(), name="folder-login"),
    path("carpeta/entrar/demo/", apply_views.demo_login, name="demo-login"),
    path("carpeta/entrar/oidc/", oidc_views.oidc_start, name="oidc-start"),
    path(oidc_views.CALLBACK.lstrip("/"), oidc_views.oidc_callback, name="oidc-callback"),
    path("carpeta/tributos/", include("concejo.sectors.revenue.sede_urls")),
    path("carpeta/solicitudes/<uuid:draft_id>/", apply_views.draft_page, name="draft"),
    path(
        "carpeta/solicitudes/<uuid:draft_id>/revisar/",
        apply_views.draft_review,
        name="draft-review",
    ),
    path("carpeta/presentadas/<uuid:entry_id>/", apply_views.submitted, name="submitted"),
    path(
        "carpeta/presentadas/<uuid:entry_id>/justificante",
        apply_views.receipt,
        name="receipt",
    ),
    path("carpeta/expedientes/<uuid:case_id>/", apply_views.folder_case, name="folder-case"),
    path("carpeta/salir/", oidc_views.folder_logout, name="folder-logout"),
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
    path("<str:dir3_code>/tablon/", views.edicts_board, name="edicts"),
    path("<str:dir3_code>/avisos/", include("concejo.sectors.cleaning.sede_urls")),
    path("<str:dir3_code>/tablon/<uuid:edict_id>/", views.edict_document, name="edict"),
    path("<str:dir3_code>/informacion/<slug:slug>/", views.info_page, name="info"),
    path("<str:dir3_code>/procedimientos/", views.catalog, name="catalog"),
    path("<str:dir3_code>/procedimientos/<str:sia_code>/", views.procedure_page, name="procedure"),
    path(
        "<str:dir3_code>/procedimientos/<str:sia_code>/solicitar/",
        apply_views.apply_start,
        name="apply",
    ),
]
