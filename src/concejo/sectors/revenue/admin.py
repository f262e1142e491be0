"""Admin of revenue: the collector's data, ordinances and interest rates through services;
objects, rolls, receipts and remittances read-only (they change in the tax office's desk)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concejo.core.admin_forms import ServiceAdmin
from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.sectors.revenue import services
from concejo.sectors.revenue.models import (
    InterestRate,
    Mandate,
    Property,
    Receipt,
    Remittance,
    RevenueSettings,
    Roll,
    TaxParameters,
    Vehicle,
)


@admin.register(RevenueSettings)
class RevenueSettingsAdmin(ServiceAdmin):
    list_display = ("entity", "issuer_code", "creditor_identifier", "creditor_iban")
    fields = ("entity", "issuer_code", "creditor_name", "creditor_identifier", "creditor_iban",
              "creditor_bic")  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.revenue_settings_set(
            actor, entity=data["entity"], issuer_code=data["issuer_code"],
            creditor_name=data["creditor_name"], creditor_identifier=data["creditor_identifier"],
            creditor_iban=data["creditor_iban"], creditor_bic=data["creditor_bic"],
        )  # fmt: skip


class TaxParametersForm(forms.ModelForm):
    class Meta:
        model = TaxParameters
        fields = ("entity", "tax", "year", "concept_code", "ordinance", "parameters")
        help_texts = {"parameters": _("JSON; su forma por tributo está en docs/revenue.md.")}


@admin.register(TaxParameters)
class TaxParametersAdmin(ServiceAdmin):
    form = TaxParametersForm
    list_display = ("entity", "tax", "year", "concept_code", "ordinance")
    list_filter = ("tax", "year")

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.tax_parameters_set(
            actor, entity=data["entity"], tax=data["tax"], year=data["year"],
            concept_code=data["concept_code"], parameters=data["parameters"],
            ordinance=data.get("ordinance", ""),
        )  # fmt: skip


@admin.register(InterestRate)
class InterestRateAdmin(ServiceAdmin):
    list_display = ("valid_from", "percent", "source")
    fields = ("valid_from", "percent", "source")

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.interest_rate_set(
            actor, valid_from=data["valid_from"], percent=data["percent"], source=data["source"]
        )


@admin.register(Property)
class PropertyAdmin(ReadOnlyAdmin):
    list_display = ("cadastral_reference", "address", "kind", "use", "owner", "entity")
    list_filter = ("kind", "entity")
    search_fields = ("cadastral_reference", "address", "owner__id_number")
    raw_id_fields = ("owner",)


@admin.register(Vehicle)
class VehicleAdmin(ReadOnlyAdmin):
    list_display = ("plate", "vehicle_class", "fiscal_hp", "first_registration", "removal", "owner")
    list_filter = ("vehicle_class", "entity")
    search_fields = ("plate", "owner__id_number")
    raw_id_fields = ("owner",)


@admin.register(Roll)
class RollAdmin(ReadOnlyAdmin):
    list_display = ("entity", "tax", "year", "status", "receipt_count", "total_cents")
    list_filter = ("tax", "year", "status")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("entity", "tax", "year", "kind", "number", "taxpayer", "principal_cents",
                    "status")  # fmt: skip
    list_filter = ("tax", "year", "kind", "status")
    search_fields = ("reference", "taxpayer__id_number", "object_label")
    raw_id_fields = ("taxpayer", "roll", "mandate")
    show_full_result_count = False


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ("reference", "debtor", "signed_on", "status", "first_collected_on")
    search_fields = ("reference", "debtor__id_number")
    raw_id_fields = ("debtor",)


@admin.register(Remittance)
class RemittanceAdmin(ReadOnlyAdmin):
    list_display = ("message_id", "collection_date", "item_count", "total_cents", "status")
