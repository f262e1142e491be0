from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concejo.core.actors import Actor
from concejo.core.admin_forms import ServiceAdmin
from concejo.core.errors import ApplicationError
from concejo.procedures import services
from concejo.procedures.models import Procedure, ProcedureVersion, VersionStatus
from concejo.procedures.validation import CONTENT_FIELDS


class ProcedureVersionForm(forms.ModelForm):
    sia_code = forms.CharField(label=_("Código SIA"), max_length=40)
    required_documents = forms.JSONField(
        label=_("Documentos requeridos"),
        required=False,
        initial=list,
        help_text=_('Lista JSON: [{"name": "…", "mandatory": true, "accepted_formats": ["pdf"]}]'),
    )

    class Meta:
        model = ProcedureVersion
        fields = ("entity", *CONTENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sia_code"].initial = self.instance.procedure.sia_code
            self.fields["sia_code"].disabled = True
            self.fields["required_documents"].initial = [
                {"name": d.name, "mandatory": d.mandatory, "accepted_formats": d.accepted_formats}
                for d in self.instance.required_documents.all()
            ]


def _run_on_procedures(request, queryset, service, modeladmin):
    actor = Actor.from_request(request)
    for version in queryset.select_related("procedure"):
        try:
            service(actor=actor, procedure=version.procedure)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{version.name}: {exc.message}", messages.ERROR)


@admin.action(description=_("Publicar el borrador"))
def publish(modeladmin, request, queryset):
    _run_on_procedures(
        request, queryset.filter(status="draft"), services.procedure_publish, modeladmin
    )


@admin.action(description=_("Retirar del catálogo"))
def withdraw(modeladmin, request, queryset):
    _run_on_procedures(
        request, queryset.filter(status="published"), services.procedure_withdraw, modeladmin
    )


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ServiceAdmin):
    """Drafts are edited here; published versions are frozen (editing one opens a new draft)."""

    form = ProcedureVersionForm
    list_display = (
        "name",
        "sia_code",
        "number",
        "status",
        "silence_effect",
        "entity",
        "published_at",
    )
    list_filter = ("entity", "status", "category", "silence_effect")
    search_fields = ("name", "procedure__sia_code")
    list_select_related = ("procedure", "entity")
    actions = (publish, withdraw)

    @admin.display(description=_("Código SIA"), ordering="procedure__sia_code")
    def sia_code(self, obj):
        return obj.procedure.sia_code

    def get_readonly_fields(self, request, obj=None):
        return ("entity",) if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or obj.status in (VersionStatus.DRAFT, VersionStatus.PUBLISHED)
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        content = {f: data.get(f) for f in CONTENT_FIELDS}
        content["required_documents"] = data.get("required_documents") or []
        if obj is None:
            return services.procedure_create(
                actor=actor, entity=data["entity"], sia_code=data["sia_code"], **content
            )
        return services.procedure_update(actor=actor, procedure=obj.procedure, **content)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("sia_code", "entity", "created_at")
    list_filter = ("entity",)
    search_fields = ("sia_code",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
