from django.contrib import admin

from concejo.cases.models import Case, CaseEvent, Resolution, Task
from concejo.core.admin_readonly import ReadOnlyAdmin


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "kind", "from_status", "to_status", "detail", "author")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Cases are handled in the backoffice and the API; the admin shows them."""

    list_display = (
        "case_code",
        "subject",
        "status",
        "responsible_unit",
        "resolution_due",
        "confidentiality",
    )
    list_filter = ("entity", "status", "confidentiality", "eni_state")
    search_fields = ("case_code", "subject", "eni_identifier")
    list_select_related = ("responsible_unit",)
    inlines = (EventInline,)
    show_full_result_count = False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "case", "due_date", "status", "assigned_user", "assigned_unit")
    list_filter = ("status",)


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ("book_code", "registered_at", "summary", "case", "signed_by")
    list_filter = ("entity", "year")
    search_fields = ("book_code", "summary")
