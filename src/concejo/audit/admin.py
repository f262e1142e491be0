from django.contrib import admin

from concejo.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only."""

    list_display = ("at", "chain", "seq", "actor", "action", "object_type", "outcome", "ip")
    list_filter = ("outcome", "entity")
    search_fields = ("action", "actor", "object_id")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
