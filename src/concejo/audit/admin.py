from django.contrib import admin

from concejo.audit.models import AuditEntry
from concejo.core.admin_readonly import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "chain", "seq", "actor", "action", "object_type", "outcome", "ip")
    list_filter = ("outcome", "entity")
    search_fields = ("action", "actor", "object_id")
    show_full_result_count = False
