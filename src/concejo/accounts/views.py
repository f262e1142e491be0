"""Employee sign-in with a second factor, its enrolment, and closing every session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from concejo.accounts import services, totp
from concejo.backoffice.auth import GuardedAuthenticationForm
from concejo.core.actors import Actor, client_ip
from concejo.core.errors import ApplicationError, PermissionDenied
from concejo.core.pdf import qr_runs


class TwoStepLoginView(LoginView):
    """Password first; with a second factor the session opens only after the code."""

    template_name = "backoffice/login.html"
    authentication_form = GuardedAuthenticationForm

    def form_valid(self, form):
        user = form.get_user()
        security = services.security_of(user)
        if security.two_factor:
            self.request.session[services.PENDING_USER] = user.pk
            self.request.session["two_factor_next"] = self.get_success_url()
            return redirect("/backoffice/doble-factor/")
        response = super().form_valid(form)
        self.request.session[services.SESSION_EPOCH] = security.session_epoch
        return response


def _qr_svg(text: str) -> str:
    size, runs = qr_runs(text)
    cells = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="1"/>' for x, y, w in runs)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 -2 {size + 4} {size + 4}" '
        f'width="200" height="200" role="img" aria-label="Código QR"><rect x="-2" y="-2" '
        f'width="{size + 4}" height="{size + 4}" fill="#fff"/><g fill="#000">{cells}</g></svg>'
    )


def two_factor(request):
    """The code step of a sign-in, or (signed in) enrolling the authenticator app."""
    pending = request.session.get(services.PENDING_USER)
    if pending and not request.user.is_authenticated:
        user = get_user_model().objects.filter(pk=pending, is_active=True).first()
        if user is None:
            return redirect("/backoffice/entrar/")
        if request.method == "POST":
            try:
                services.totp_verify(
                    actor=Actor(user=user, ip=client_ip(request)), user=user,
                    code=request.POST.get("code", ""),
                )  # fmt: skip
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                target = request.session.pop("two_factor_next", "/backoffice/")
                request.session.pop(services.PENDING_USER, None)
                login(request, user, backend="concejo.core.auth_backends.GuardedModelBackend")
                request.session[services.VERIFIED] = True
                request.session[services.SESSION_EPOCH] = services.security_of(user).session_epoch
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = "/backoffice/"
                return redirect(target)
        return render(request, "accounts/code.html", {"user_name": user.get_username()})
    if not request.user.is_authenticated:
        return redirect("/backoffice/entrar/")
    return _enrol(request)


@login_required
def _enrol(request):
    actor = Actor(user=request.user, ip=client_ip(request))
    security = services.security_of(request.user)
    if security.two_factor:
        # Signed in some other way (another login page): the code is still required here.
        if request.session.get(services.VERIFIED):
            return redirect("/backoffice/")
        if request.method == "POST":
            try:
                services.totp_verify(
                    actor=actor, user=request.user, code=request.POST.get("code", "")
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                request.session[services.VERIFIED] = True
                return redirect("/backoffice/")
        return render(request, "accounts/code.html", {"user_name": request.user.get_username()})
    try:
        if request.method == "POST":
            services.totp_confirm(actor=actor, code=request.POST.get("code", ""))
            request.session[services.VERIFIED] = True
            messages.success(request, _("Doble factor activado."))
            return redirect("/backoffice/")
        if not security.totp_secret:
            security = services.totp_start(actor=actor)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    uri = totp.provisioning_uri(security.totp_secret, request.user.get_username(), "Concejo")
    return render(
        request, "accounts/enrol.html",
        {"secret": security.totp_secret, "qr": _qr_svg(uri),
         "required": services.two_factor_required(request.user)},
    )  # fmt: skip


@login_required
def close_all_sessions(request):
    if request.method == "POST":
        services.sign_out_everywhere(actor=Actor(user=request.user, ip=client_ip(request)))
        messages.success(request, _("Se han cerrado todas sus sesiones."))
    return redirect("/backoffice/entrar/")


@login_required
def two_factor_reset(request):
    """An entity administrator restores access for an employee who lost their authenticator."""
    from concejo.backoffice.views import _denied, _entity
    from concejo.organization.models import Role

    try:
        actor, entity = _entity(request, Role.ADMINISTRATOR)
    except PermissionDenied:
        return _denied(request)
    employees = (
        get_user_model().objects.filter(memberships__entity=entity, memberships__active=True)
        .select_related("security").distinct().order_by("username")
    )  # fmt: skip
    if request.method == "POST":
        user = employees.filter(username=request.POST.get("username", "")).first()
        if user is None:
            messages.error(request, _("Ese usuario no trabaja en esta entidad."))
        else:
            try:
                services.two_factor_reset(
                    actor=actor, user=user, reason=request.POST.get("reason", "")
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Doble factor de %(u)s restablecido: lo activará de nuevo al entrar.")
                    % {"u": user.get_username()},
                )
        return redirect("backoffice:two-factor-reset")
    rows = [(u, services.security_of(u).two_factor) for u in employees[:500]]
    return render(request, "accounts/reset.html", {"entity": entity, "rows": rows})
