from django.contrib import admin

from concejo.core.admin_forms import ServiceAdmin
from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.documents import services
from concejo.documents.models import Document, DocumentTemplate


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "eni_identifier",
        "document_type",
        "elaboration_state",
        "status",
        "version",
        "created_at",
    )
    list_filter = ("entity", "document_type", "elaboration_state", "status")
    search_fields = ("title", "eni_identifier", "sha256")


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ServiceAdmin):
    """The body uses {{ case.case_code }}, {{ applicant.display_name }}, {{ today }}..."""

    list_display = ("name", "document_type", "entity", "active")
    list_filter = ("entity", "document_type", "active")
    fields = ("entity", "name", "document_type", "title", "body", "active")

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.document_template_save(
            actor=actor,
            entity=obj.entity if obj else data["entity"],
            name=data["name"],
            document_type=data["document_type"],
            title=data["title"],
            body=data["body"],
            active=data.get("active", True),
            template=obj,
        )
