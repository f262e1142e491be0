from django.contrib.auth import views as auth_views
from django.urls import path

from concejo.backoffice import case_views, edict_views, signature_views, views
from concejo.backoffice.auth import GuardedAuthenticationForm

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "entrar/",
        auth_views.LoginView.as_view(
            template_name="backoffice/login.html", authentication_form=GuardedAuthenticationForm
        ),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(next_page="/backoffice/entrar/"), name="logout"),
    path("registro/", views.registry_desk, name="registry-desk"),
    path("registro/<uuid:entry_id>/", views.registry_entry, name="registry-entry"),
    path("registro/<uuid:entry_id>/justificante", views.registry_receipt, name="registry-receipt"),
    path("bandeja/", views.inbox, name="inbox"),
    path("expedientes/", case_views.case_list, name="cases"),
    path("expedientes/<uuid:case_id>/", case_views.case_view, name="case"),
    path("tareas/", case_views.my_tasks, name="tasks"),
    path("portafirmas/", signature_views.signature_inbox, name="signatures"),
    path("tablon/", edict_views.edicts, name="edicts"),
    path(
        "portafirmas/<uuid:request_id>/",
        signature_views.signature_decide,
        name="signature-decide",
    ),
    path("documentos/<uuid:document_id>/", signature_views.document_download, name="document"),
    path("expedientes/<uuid:case_id>/eni", signature_views.case_eni, name="case-eni"),
    path("expedientes/importar-eni", signature_views.case_eni_upload, name="case-eni-import"),
    path(
        "registro/<uuid:entry_id>/abrir-expediente",
        case_views.case_open_from_entry,
        name="registry-open-case",
    ),
]
