from django.contrib.auth import views as auth_views
from django.urls import path

from concejo.accounts import views as account_views
from concejo.backoffice import case_views, edict_views, signature_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "entrar/",
        account_views.TwoStepLoginView.as_view(),
        name="login",
    ),
    path("salir/", auth_views.LogoutView.as_view(next_page="/backoffice/entrar/"), name="logout"),
    path("doble-factor/", account_views.two_factor, name="two-factor"),
    path("empleados/doble-factor/", account_views.two_factor_reset, name="two-factor-reset"),
    path("salir-de-todo/", account_views.close_all_sessions, name="logout-everywhere"),
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
