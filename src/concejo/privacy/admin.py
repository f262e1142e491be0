from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concejo.core.admin_forms import ServiceAdmin
from concejo.privacy import services
from concejo.privacy.models import (
    LegalBasis,
    ProcessingActivity,
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
