from django.contrib import admin

from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.documents.models import Document


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
