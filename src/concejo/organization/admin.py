from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concejo.core.actors import Actor
from concejo.core.admin_forms import ServiceAdmin
from concejo.core.errors import ApplicationError
from concejo.organization import services
from concejo.organization.models import Entity, Membership, Office, Unit


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Entity)
class EntityAdmin(NoDeleteMixin, ServiceAdmin):
    list_display = ("name", "entity_type", "dir3_code", "nif", "ine_code", "parent", "active")
    list_filter = ("entity_type", "active")
    search_fields = ("name", "dir3_code", "nif")
    fields = (
        "name", "short_name", "entity_type", "nif", "dir3_code", "ine_code", "parent",
        "sede_title", "primary_color", "registry_unit", "active",
    )  # fmt: skip
    identity_fields = ("entity_type", "nif", "dir3_code", "ine_code", "parent")

    def get_readonly_fields(self, request, obj=None):
        return self.identity_fields if obj is not None else ("registry_unit",)

    def run_service(self, actor, obj, data):
        if obj is None:
            return services.entity_create(
                actor=actor,
                name=data["name"],
                entity_type=data["entity_type"],
                nif=data["nif"],
                dir3_code=data["dir3_code"],
                ine_code=data["ine_code"],
                parent=data.get("parent"),
                short_name=data.get("short_name", ""),
                sede_title=data.get("sede_title", ""),
            )
        return services.entity_update(
            actor=actor,
            entity=obj,
            name=data["name"],
            short_name=data.get("short_name", ""),
            sede_title=data.get("sede_title", ""),
            primary_color=data.get("primary_color", ""),
            active=data.get("active", True),
            registry_unit=data.get("registry_unit"),
        )


@admin.register(Unit)
class UnitAdmin(NoDeleteMixin, ServiceAdmin):
    list_display = ("name", "dir3_code", "level", "parent", "entity", "valid_from", "valid_to")
    list_filter = ("entity", "level")
    search_fields = ("name", "dir3_code")
    list_select_related = ("entity", "parent")
    fields = ("entity", "name", "dir3_code", "level", "parent", "valid_from", "valid_to")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        return ("entity",) if obj is not None else ()

    def run_service(self, actor, obj, data):
        common = {
            "name": data["name"],
            "dir3_code": data["dir3_code"],
            "level": data["level"],
            "parent": data.get("parent"),
            "valid_from": data.get("valid_from"),
            "valid_to": data.get("valid_to"),
        }
        if obj is None:
            return services.unit_create(actor=actor, entity=data["entity"], **common)
        return services.unit_update(actor=actor, unit=obj, **common)


@admin.register(Office)
class OfficeAdmin(NoDeleteMixin, ServiceAdmin):
    list_display = ("name", "code", "entity", "is_registry_office", "active")
    list_filter = ("entity", "is_registry_office", "active")
    fields = ("entity", "name", "code", "address", "opening_hours", "is_registry_office", "active")

    def get_readonly_fields(self, request, obj=None):
        return ("entity", "code") if obj is not None else ("active",)

    def run_service(self, actor, obj, data):
        if obj is None:
            return services.office_create(
                actor=actor,
                entity=data["entity"],
                name=data["name"],
                code=data["code"],
                address=data.get("address", ""),
                opening_hours=data.get("opening_hours", ""),
                is_registry_office=data.get("is_registry_office", True),
            )
        return services.office_update(
            actor=actor,
            office=obj,
            name=data["name"],
            address=data.get("address", ""),
            opening_hours=data.get("opening_hours", ""),
            is_registry_office=data.get("is_registry_office", True),
            active=data.get("active", True),
        )


@admin.action(description=_("Retirar los roles seleccionados"))
def revoke_memberships(modeladmin, request, queryset):
    actor = Actor.from_request(request)
    for membership in queryset.filter(active=True):
        try:
            services.membership_revoke(actor=actor, membership=membership)
        except ApplicationError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return


@admin.register(Membership)
class MembershipAdmin(NoDeleteMixin, ServiceAdmin):
    list_display = ("user", "entity", "unit", "role", "active")
    list_filter = ("entity", "role", "active")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "entity", "unit")
    fields = ("user", "entity", "unit", "role")
    actions = (revoke_memberships,)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def run_service(self, actor, obj, data):
        return services.membership_grant(
            actor=actor,
            user=data["user"],
            entity=data["entity"],
            role=data["role"],
            unit=data.get("unit"),
        )
