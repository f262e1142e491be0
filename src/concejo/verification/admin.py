from django.contrib import admin

from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.verification.models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "display_code", "kind", "issued_at", "size", "rendered_at")
    list_filter = ("entity", "kind")
    search_fields = ("csv_code", "title")
