from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concejo.core.admin_forms import ServiceAdmin
from concejo.privacy import services
from concejo.privacy.models import (
    LegalBasis,
    LegalHold,
    ProcessingActivity,
    RetentionRule,
    SpecialCategoryBasis,
)


class ProcessingActivityForm(forms.ModelForm):
    legal_bases = forms.MultipleChoiceField(
        label=_("Bases jurídicas (art. 6 RGPD)"),
        choices=LegalBasis.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    special_category_bases = forms.MultipleChoiceField(
        label=_("Excepciones para categorías especiales (art. 9.2 RGPD)"),
        choices=SpecialCategoryBasis.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ProcessingActivity
        fields = ("entity", "code", *services.ACTIVITY_FIELDS)


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(ServiceAdmin):
    """The record of processing activities (art. 30 RGPD), published in the sede."""

    form = ProcessingActivityForm
    list_display = ("name", "entity", "version", "active", "updated_at")
    list_filter = ("entity", "active")
    search_fields = ("name", "purposes")

    def get_readonly_fields(self, request, obj=None):
        return ("entity", "code", "version") if obj else ("version",)

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        values = {f: data[f] for f in services.ACTIVITY_FIELDS if f in data}
        if obj is not None:
            return services.processing_activity_update(actor=actor, activity=obj, **values)
        return services.processing_activity_create(
            actor=actor, entity=data["entity"], code=data.get("code", ""), **values
        )


@admin.register(RetentionRule)
class RetentionRuleAdmin(ServiceAdmin):
    list_display = ("__str__", "entity", "years", "action")
    list_filter = ("entity", "action")
    fields = ("entity", "document_type", "procedure", "years", "action", "legal_reference")

    def get_readonly_fields(self, request, obj=None):
        return ("entity",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.retention_rule_save(
            actor=actor, entity=obj.entity if obj else data["entity"], rule=obj,
            years=data["years"], action=data["action"],
            document_type=data.get("document_type") or "", procedure=data.get("procedure"),
            legal_reference=data.get("legal_reference", ""),
        )  # fmt: skip


@admin.action(description=_("Levantar la retención"))
def release(modeladmin, request, queryset):
    from django.contrib import messages

    from concejo.core.actors import Actor
    from concejo.core.errors import ApplicationError

    for hold in queryset:
        try:
            services.legal_hold_release(actor=Actor.from_request(request), hold=hold)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{hold}: {exc.message}", messages.ERROR)


@admin.register(LegalHold)
class LegalHoldAdmin(ServiceAdmin):
    list_display = (
        "reason",
        "entity",
        "case",
        "document",
        "placed_by",
        "created_at",
        "released_at",
    )
    list_filter = ("entity",)
    fields = ("entity", "case", "document", "reason")
    raw_id_fields = ("case", "document")
    actions = [release]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.legal_hold_place(
            actor=actor, entity=data["entity"], reason=data["reason"],
            case=data.get("case"), document=data.get("document"),
        )  # fmt: skip
