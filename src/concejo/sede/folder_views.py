"""The citizen's folder (carpeta ciudadana): notifications, with access and rejection.

Sign-in here is the platform's own account login, with the demo identity provider
(apply_views) and the OpenID Connect one (oidc_views) offered on the same page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.backoffice.auth import GuardedAuthenticationForm
from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError, NotFound
from concejo.documents.http import document_download
from concejo.notifications import selectors, services
from concejo.notifications.models import NotificationStatus

LOGIN = "/carpeta/entrar/"
PAGE = 50


def demo_people():
    """The persons the demo identity provider offers: citizens and companies, not employees."""
    from concejo.organization.models import Role
    from concejo.people.models import Person

    employees = Person.objects.filter(user__memberships__active=True).exclude(
        user__memberships__role=Role.CITIZEN
    )
    return (
        Person.objects.filter(user__isnull=False, user__is_active=True)
        .exclude(pk__in=employees.values("pk"))
        .order_by("entity__name", "kind", "last_name_1", "business_name")
    )


class FolderLogin(auth_views.LoginView):
    template_name = "sede/folder_login.html"
    authentication_form = GuardedAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return "/carpeta/"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["now"] = timezone.localtime()
        if settings.DEMO_IDENTITY:
            context["demo_people"] = demo_people()
        if settings.OIDC_ISSUER:
            context["oidc_label"] = settings.OIDC_BUTTON_LABEL
        return context


@login_required(login_url=LOGIN)
def notification_list(request):
    actor = Actor.from_request(request)
    rows = [
        (n, selectors.effective(n))
        for n in selectors.notifications_for_citizen(actor)[:PAGE]
        if selectors.may_open(actor, n)  # a power for another procedure does not reach it
    ]
    pending = [(n, e) for n, e in rows if e.status == NotificationStatus.AVAILABLE]
    done = [(n, e) for n, e in rows if e.status != NotificationStatus.AVAILABLE]
    return render(
        request, "sede/folder_notifications.html",
        {"pending": pending, "done": done, "now": timezone.localtime()},
    )  # fmt: skip


def _mine(request, notification_id):
    actor = Actor.from_request(request)
    try:
        return actor, selectors.notification_for_citizen(actor, notification_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required(login_url=LOGIN)
def notification_detail(request, notification_id):
    actor, notification = _mine(request, notification_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "access":
                services.notification_access(actor=actor, notification=notification)
                messages.success(request, _("Ha accedido a la notificación."))
            elif request.POST.get("action") == "reject":
                services.notification_reject(actor=actor, notification=notification)
                messages.success(request, _("Ha rechazado la notificación."))
            else:
                raise ApplicationError(_("Acción no válida."), code="invalid")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("sede:folder-notification", notification_id=notification.pk)
    notification.refresh_from_db()
    return render(
        request, "sede/folder_notification.html",
        {"n": notification, "e": selectors.effective(notification), "now": timezone.localtime(),
         "events": notification.events.all()},
    )  # fmt: skip


@login_required(login_url=LOGIN)
def notification_document(request, notification_id):
    """The notified act, once the citizen has opened the notification."""
    _actor, notification = _mine(request, notification_id)
    if notification.accessed_at is None:
        raise Http404
    document = notification.document
    return document_download(document)
