"""Admin screens whose writes go through services.

The add/change form calls the service while it validates, inside the admin's
own transaction, so that an `ApplicationError` comes back as a form error in
Spanish on the field it names and nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

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
