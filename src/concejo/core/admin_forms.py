"""Admin screens whose writes go through services.

The add/change form calls the service while it validates, inside the admin's
own transaction, so that an `ApplicationError` comes back as a form error in
Spanish on the field it names and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib import messages as admin_messages
from django.contrib.admin.utils import quote, unquote
from django.db import models
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError


class ServiceAdmin(admin.ModelAdmin):
    """Subclasses implement `run_service(actor, obj, data)` returning the saved object."""

    def run_service(self, actor: Actor, obj: models.Model | None, data: dict[str, Any]):
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                if self.errors:
                    return
                try:
                    self.instance = model_admin.run_service(
                        Actor.from_request(request), obj, self.cleaned_data
                    )
                except ApplicationError as exc:
                    show_on_form(self, exc)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        # Already saved by the service while the form was validated.
        pass

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


def show_on_form(form, exc: ApplicationError) -> None:
    placed = False
    for field, messages in exc.fields.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ServiceDeleteMixin:
    """For the few admins that delete: `run_delete(actor, obj)` calls the delete service.

    The service decides what may go and what goes with it, so the confirmation
    page lists the object alone (no walk over its related rows) and the bulk
    "delete selected" action is not offered. A refusal sends the user back to
    the object's page with the service's Spanish message; nothing is deleted,
    and the refusal's audit row is kept.
    """

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_deleted_objects(self, objs, request):
        return [str(o) for o in objs], {self.opts.verbose_name_plural: len(objs)}, set(), []

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if request.method == "POST" else None
        if obj is None or not self.has_delete_permission(request, obj):
            return super().delete_view(request, object_id, extra_context)
        shown, pk = str(obj), obj.pk
        try:
            self.run_delete(Actor.from_request(request), obj)
        except ApplicationError as exc:
            self.message_user(request, exc.message, admin_messages.ERROR)
            change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
            return HttpResponseRedirect(
                reverse(change, args=[quote(pk)], current_app=self.admin_site.name)
            )
        self.log_deletions(request, [obj])
        return self.response_delete(request, shown, pk)
