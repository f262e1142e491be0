from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concejo.core.actors import Actor
from concejo.core.admin_forms import ServiceAdmin
from concejo.core.errors import ApplicationError
from concejo.people import services
from concejo.people.models import Person, Representation


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ("__str__", "kind", "id_type", "email", "preferred_channel", "entity")
    list_filter = ("entity", "kind", "preferred_channel", "obliged_reason")
    search_fields = ("id_number", "first_name", "last_name_1", "business_name", "email")
    list_select_related = ("entity",)
    fields = ("entity", "kind", "id_type", "id_number", *services.PERSON_FIELDS)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("entity",) if obj is not None else ()

    def run_service(self, actor, obj, data):
        values = {f: data.get(f, "") for f in services.PERSON_FIELDS}
        if obj is None:
            return services.person_create(
                actor=actor,
                entity=data["entity"],
                kind=data["kind"],
                id_type=data["id_type"],
                id_number=data["id_number"],
                **values,
            )
        return services.person_update(
            actor=actor,
            person=obj,
            kind=data["kind"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            **values,
        )


@admin.action(description=_("Revocar los apoderamientos seleccionados"))
def revoke_representations(modeladmin, request, queryset):
    actor = Actor.from_request(request)
    for rep in queryset.filter(revoked_at__isnull=True):
        try:
            services.representation_revoke(actor=actor, representation=rep, reason="Administración")
        except ApplicationError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return


@admin.register(Representation)
class RepresentationAdmin(ServiceAdmin):
    list_display = ("representative", "grantor", "scope", "valid_from", "valid_to", "status")
    list_filter = ("entity", "scope")
    search_fields = ("grantor__id_number", "representative__id_number")
    list_select_related = ("grantor", "representative")
    fields = ("entity", "grantor", "representative", "scope", "valid_from", "valid_to")
    raw_id_fields = ("grantor", "representative")
    actions = (revoke_representations,)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def run_service(self, actor, obj, data):
        return services.representation_grant(
            actor=actor,
            entity=data["entity"],
            grantor=data["grantor"],
            representative=data["representative"],
            scope=data["scope"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
        )
