"""Admin of street cleaning's setup: districts, categories, crews and routing rules go
through services (ADR 0005); the gazetteer is loaded from CSV and only shown here.
Reports and work orders change in the backoffice desk, not here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from concejo.core.admin_forms import ServiceAdmin, ServiceDeleteMixin
from concejo.core.admin_readonly import ReadOnlyAdmin
from concejo.sectors.cleaning import services
from concejo.sectors.cleaning.models import (
    Crew,
    District,
    RoutingRule,
    ServiceCategory,
    StreetAddress,
)


class EntityFixedOnChange:
    """A row stays in its entity: the entity is chosen when adding, then shown read-only."""

    def get_readonly_fields(self, request, obj=None):
        return ("entity",) if obj is not None else ()

    @staticmethod
    def entity_of(obj, data):
        return obj.entity if obj is not None else data["entity"]


class DistrictForm(forms.ModelForm):
    class Meta:
        model = District
        fields = ("entity", "code", "name", "boundary")
        help_texts = {
            "boundary": _(
                "JSON: lista de puntos [latitud, longitud] en grados WGS84 que recorren el "
                "límite, p. ej. [[41.645, -4.735], [41.645, -4.715], [41.66, -4.715]]."
            )
        }


@admin.register(District)
class DistrictAdmin(EntityFixedOnChange, ServiceAdmin):
    form = DistrictForm
    list_display = ("code", "name", "entity")
    list_filter = ("entity",)
    search_fields = ("code", "name")

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        return services.district_save(
            actor=actor, entity=self.entity_of(obj, data), district=obj, code=data["code"],
            name=data["name"], boundary=data.get("boundary"),
        )  # fmt: skip


@admin.register(Crew)
class CrewAdmin(EntityFixedOnChange, ServiceAdmin):
    list_display = ("name", "shift", "district", "entity", "active")
    list_filter = ("entity", "active")
    search_fields = ("name",)
    fields = ("entity", "name", "shift", "district", "active")

    def has_delete_permission(self, request, obj=None):
        return False  # a crew that is no more is deactivated: its reports and orders keep it

    def run_service(self, actor, obj, data):
        return services.crew_save(
            actor=actor, entity=self.entity_of(obj, data), crew=obj, name=data["name"],
            shift=data.get("shift", ""), district=data.get("district"),
            active=data.get("active", True),
        )  # fmt: skip


class CategoryForm(forms.ModelForm):
    class Meta:
        model = ServiceCategory
        fields = ("entity", "code", "name", "description", "group", "keywords",
                  "responsible_unit", "crew", "sla_amount", "sla_unit", "attributes", "active")  # fmt: skip
        help_texts = {
            "code": _("El service_code de Open311: minúsculas sin tildes, cifras, «_» o «-»."),
            "attributes": _(
                'JSON: lista de atributos de Open311, cada uno {"code", "datatype" (string, '
                'number, datetime, text, singlevaluelist o multivaluelist), "required", '
                '"description", "order" y, en las listas, "values": [{"key", "name"}]}.'
            ),
        }


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(EntityFixedOnChange, ServiceDeleteMixin, ServiceAdmin):
    """Open311 services. One with reports cannot be deleted: it is deactivated instead."""

    form = CategoryForm
    list_display = ("name", "code", "group", "sla_amount", "sla_unit", "entity", "active")
    list_filter = ("entity", "group", "active")
    search_fields = ("code", "name", "keywords")
    autocomplete_fields = ("responsible_unit",)

    def run_service(self, actor, obj, data):
        return services.category_save(
            actor=actor, entity=self.entity_of(obj, data), category=obj,
            data=services.CategoryData(
                code=data["code"], name=data["name"], description=data.get("description", ""),
                group=data["group"], keywords=data.get("keywords", ""),
                responsible_unit=data.get("responsible_unit"), crew=data.get("crew"),
                sla_amount=data["sla_amount"], sla_unit=data["sla_unit"],
                attributes=data.get("attributes"), active=data.get("active", True),
            ),
        )  # fmt: skip

    def run_delete(self, actor, obj):
        services.category_delete(actor=actor, entity=obj.entity, category=obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(EntityFixedOnChange, ServiceDeleteMixin, ServiceAdmin):
    list_display = ("category", "district", "unit", "crew", "entity")
    list_filter = ("entity", "category")
    list_select_related = ("category", "district", "unit", "crew")
    fields = ("entity", "category", "district", "unit", "crew")
    autocomplete_fields = ("unit",)

    def run_service(self, actor, obj, data):
        return services.routing_rule_save(
            actor=actor, entity=self.entity_of(obj, data), rule=obj,
            category=data.get("category"), district=data.get("district"),
            unit=data.get("unit"), crew=data.get("crew"),
        )  # fmt: skip

    def run_delete(self, actor, obj):
        services.routing_rule_delete(actor=actor, entity=obj.entity, rule=obj)


@admin.register(StreetAddress)
class StreetAddressAdmin(ReadOnlyAdmin):
    """The gazetteer, loaded with `concejo load_street_addresses` (see docs/architecture.md)."""

    list_display = ("address_id", "street_type", "street_name", "number", "postcode",
                    "district", "entity")  # fmt: skip
    list_filter = ("entity", "street_type", "district")
    search_fields = ("address_id", "street_name", "postcode")
    list_select_related = ("district", "entity")
    show_full_result_count = False
