from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from concejo.cases import api as cases_api
from concejo.deadlines import api as deadlines_api
from concejo.notifications import api as notifications_api
from concejo.organization import api as organization_api
from concejo.people import api as people_api
from concejo.privacy import api as privacy_api
from concejo.procedures import api as procedures_api
from concejo.registry import api as registry_api
from concejo.sectors.revenue import api as revenue_api
from concejo.signatures import api as signatures_api
from concejo.verification import api as verification_api

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
    path("deadlines/compute", deadlines_api.DeadlineComputeView.as_view(), name="deadline-compute"),
    path("deadlines/calendar", deadlines_api.CalendarView.as_view(), name="deadline-calendar"),
    path(
        "deadlines/business-days",
        deadlines_api.BusinessDaysView.as_view(),
        name="deadline-business-days",
    ),
    path(
        "privacy/processing-activities",
        privacy_api.ProcessingActivityListView.as_view(),
        name="processing-activity-list",
    ),
    path("procedures", procedures_api.ProcedureListView.as_view(), name="procedure-list"),
    path(
        "procedures/<uuid:procedure_id>",
        procedures_api.ProcedureDetailView.as_view(),
        name="procedure-detail",
    ),
    path(
        "procedures/<uuid:procedure_id>/publish",
        procedures_api.ProcedureActionView.as_view(action="publish"),
        name="procedure-publish",
    ),
    path(
        "procedures/<uuid:procedure_id>/withdraw",
        procedures_api.ProcedureActionView.as_view(action="withdraw"),
        name="procedure-withdraw",
    ),
    path(
        "procedures/<uuid:procedure_id>/versions",
        procedures_api.ProcedureVersionsView.as_view(),
        name="procedure-versions",
    ),
    path("registry/entries", registry_api.EntryListView.as_view(), name="registry-entries"),
    path(
        "registry/entries/<uuid:entry_id>",
        registry_api.EntryDetailView.as_view(),
        name="registry-entry",
    ),
    path(
        "registry/entries/<uuid:entry_id>/receipt",
        registry_api.EntryReceiptView.as_view(),
        name="registry-receipt",
    ),
    path(
        "registry/entries/<uuid:entry_id>/attachments/<int:position>",
        registry_api.EntryAttachmentView.as_view(),
        name="registry-attachment",
    ),
    path(
        "registry/entries/<uuid:entry_id>/annotations",
        registry_api.EntryAnnotationView.as_view(),
        name="registry-annotations",
    ),
    path(
        "registry/entries/<uuid:entry_id>/accept",
        registry_api.EntryMoveView.as_view(action="accept"),
        name="registry-accept",
    ),
    path(
        "registry/entries/<uuid:entry_id>/forward",
        registry_api.EntryMoveView.as_view(action="forward"),
        name="registry-forward",
    ),
    path(
        "registry/entries/<uuid:entry_id>/return",
        registry_api.EntryMoveView.as_view(action="return"),
        name="registry-return",
    ),
    path(
        "registry/entries/<uuid:entry_id>/sicres",
        registry_api.EntrySicresView.as_view(),
        name="registry-sicres",
    ),
    path("registry/sicres", registry_api.SicresImportView.as_view(), name="registry-sicres-import"),
    path(
        "signatures/requests",
        signatures_api.SignatureRequestListView.as_view(),
        name="signature-requests",
    ),
    path(
        "signatures/requests/<uuid:request_id>",
        signatures_api.SignatureRequestDetailView.as_view(),
        name="signature-request",
    ),
    path(
        "signatures/requests/<uuid:request_id>/sign",
        signatures_api.SignatureDecisionView.as_view(decision="sign"),
        name="signature-sign",
    ),
    path(
        "signatures/requests/<uuid:request_id>/reject",
        signatures_api.SignatureDecisionView.as_view(decision="reject"),
        name="signature-reject",
    ),
    path(
        "signatures/requests/<uuid:request_id>/cancel",
        signatures_api.SignatureDecisionView.as_view(decision="cancel"),
        name="signature-cancel",
    ),
    path("notifications", notifications_api.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/<uuid:notification_id>",
        notifications_api.NotificationDetailView.as_view(),
        name="notification",
    ),
    path(
        "notifications/<uuid:notification_id>/paper-outcome",
        notifications_api.PaperOutcomeView.as_view(),
        name="notification-paper-outcome",
    ),
    path(
        "notifications/<uuid:notification_id>/boe",
        notifications_api.BoePublishedView.as_view(),
        name="notification-boe",
    ),
    path(
        "notifications/<uuid:notification_id>/paper",
        notifications_api.PaperPdfView.as_view(),
        name="notification-paper",
    ),
    path(
        "documents/<uuid:document_id>/signatures",
        signatures_api.DocumentSignaturesView.as_view(),
        name="document-signatures",
    ),
    path(
        "signatures/verify", signatures_api.VerifySignaturesView.as_view(), name="signatures-verify"
    ),
    path("csv/<str:code>", verification_api.CsvDocumentView.as_view(), name="csv"),
    path("csv/<str:code>/content", verification_api.CsvContentView.as_view(), name="csv-content"),
    path("cases", cases_api.CaseListView.as_view(), name="cases"),
    path("cases/<uuid:case_id>", cases_api.CaseDetailView.as_view(), name="case"),
    path("cases/<uuid:case_id>/eni", cases_api.CaseEniExportView.as_view(), name="case-eni"),
    path("cases/eni", cases_api.CaseEniImportView.as_view(), name="case-eni-import"),
    path(
        "cases/<uuid:case_id>/transitions",
        cases_api.CaseTransitionView.as_view(),
        name="case-transitions",
    ),
    path(
        "cases/<uuid:case_id>/documents",
        cases_api.CaseDocumentsView.as_view(),
        name="case-documents",
    ),
    path(
        "cases/<uuid:case_id>/resolutions",
        cases_api.CaseResolutionView.as_view(),
        name="case-resolutions",
    ),
    path("cases/<uuid:case_id>/assign", cases_api.CaseAssignView.as_view(), name="case-assign"),
    path(
        "cases/<uuid:case_id>/generate",
        cases_api.CaseGenerateView.as_view(),
        name="case-generate",
    ),
    path("resolutions", cases_api.ResolutionBookView.as_view(), name="resolutions"),
    path(
        "resolutions/export",
        cases_api.ResolutionBookExportView.as_view(),
        name="resolutions-export",
    ),
    path("documents/<uuid:document_id>", cases_api.DocumentDetailView.as_view(), name="document"),
    path(
        "documents/<uuid:document_id>/finalize",
        cases_api.DocumentFinalizeView.as_view(),
        name="document-finalize",
    ),
    path(
        "documents/<uuid:document_id>/content",
        cases_api.DocumentContentView.as_view(),
        name="document-content",
    ),
    path("revenue/properties", revenue_api.PropertyListView.as_view(), name="revenue-properties"),
    path("revenue/vehicles", revenue_api.VehicleListView.as_view(), name="revenue-vehicles"),
    path("revenue/activities", revenue_api.ActivityListView.as_view(), name="revenue-activities"),
    path("revenue/receipts", revenue_api.ReceiptListView.as_view(), name="revenue-receipts"),
    path(
        "revenue/receipts/<uuid:receipt_id>",
        revenue_api.ReceiptDetailView.as_view(),
        name="revenue-receipt",
    ),
    path(
        "revenue/receipts/<uuid:receipt_id>/payments",
        revenue_api.ReceiptPaymentView.as_view(),
        name="revenue-receipt-payments",
    ),
]
