from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concejo.outbox.models import OutboxTask
from concejo.outbox.services import outbox_run


@admin.action(description=_("Reintentar (reenviar) ahora"))
def retry(modeladmin, request, queryset):
    done = sum(1 for task in queryset.exclude(status="done") if outbox_run(task_id=task.pk))
    modeladmin.message_user(request, _("Tareas completadas: %(n)s") % {"n": done}, messages.INFO)


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "attempts", "next_attempt_at", "created_at", "done_at")
    list_filter = ("status", "kind")
    readonly_fields = (
        "kind",
        "payload",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "done_at",
    )
    actions = (retry,)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
