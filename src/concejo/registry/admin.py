from django.contrib import admin

from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.registry.models import (
    RegistryAnnotation,
    RegistryAttachment,
    RegistryEntry,
    RegistryMovement,
)


class AttachmentInline(admin.TabularInline):
    model = RegistryAttachment
    extra = 0
    can_delete = False
    fields = ("position", "name", "size", "mime_type", "validity", "sha256")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class MovementInline(AttachmentInline):
    model = RegistryMovement
    fields = ("created_at", "action", "from_unit", "to_unit", "reason", "author")
    readonly_fields = fields


class AnnotationInline(AttachmentInline):
    model = RegistryAnnotation
    fields = ("created_at", "author", "text")
    readonly_fields = fields


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyAdmin):
    """Entries are filed through the registry desk or the API, never edited here."""

    list_display = (
        "registry_code",
        "filed_at",
        "direction",
        "subject",
        "channel",
        "current_unit",
        "distribution_status",
    )
    list_filter = ("entity", "direction", "channel", "distribution_status", "year")
    search_fields = ("registry_code", "subject", "interested__person__id_number")
    list_select_related = ("current_unit",)
    inlines = (AttachmentInline, MovementInline, AnnotationInline)
    show_full_result_count = False
