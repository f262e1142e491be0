from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from concejo.apikeys import services
from concejo.apikeys.models import ApiApplication, ApiKey
from concejo.apikeys.scopes import SCOPES
from concejo.core.actors import Actor
from concejo.core.admin_forms import ServiceAdmin
from concejo.core.errors import ApplicationError


class ApiApplicationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Permisos"), choices=list(SCOPES.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiApplication
        fields = ("entity", "name", "description", "scopes")


@admin.register(ApiApplication)
class ApiApplicationAdmin(ServiceAdmin):
    """Adding an application issues its first key, shown once."""

    form = ApiApplicationForm
    list_display = ("name", "entity", "active", "created_at")
    list_filter = ("entity", "active")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def run_service(self, actor, obj, data):
        issued = services.api_key_issue(
            actor=actor,
            entity=data["entity"],
            name=data["name"],
            scopes=data["scopes"],
            description=data.get("description", ""),
        )
        application = issued.key.application
        application.issued_secret = issued.secret  # shown once by response_add
        return application

    def response_add(self, request, obj, post_url_continue=None):
        messages.warning(
            request,
            _("Clave de la API (guárdela ahora, no se volverá a mostrar): %(k)s")
            % {"k": obj.issued_secret},
        )
        return super().response_add(request, obj, post_url_continue)


@admin.action(description=_("Revocar las claves seleccionadas"))
def revoke_keys(modeladmin, request, queryset):
    actor = Actor.from_request(request)
    for key in queryset.filter(revoked_at__isnull=True):
        try:
            services.api_key_revoke(actor=actor, key=key)
        except ApplicationError as exc:
            modeladmin.message_user(request, exc.message, messages.ERROR)
            return


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("application", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("entity",)
    actions = (revoke_keys,)
    readonly_fields = ("application", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash", "entity")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
