"""Citizens' sign-in through an OpenID Connect provider (a Cl@ve bridge), and signing out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concejo.accounts import oidc
from concejo.accounts.services import citizen_sign_in
from concejo.audit.models import Outcome
from concejo.audit.services import audit_record
from concejo.core.actors import Actor, client_ip
from concejo.core.errors import ApplicationError
from concejo.organization.selectors import entity_get_by_dir3, entity_main
from concejo.sede.folder_views import LOGIN

PENDING = "oidc_pending"  # state, nonce, PKCE verifier and where to go afterwards
ID_TOKEN = "oidc_id_token"  # kept for signing out at the provider too
CALLBACK = "/carpeta/entrar/oidc/vuelta/"
FOLDER = "/carpeta/"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _provider() -> oidc.Provider:
    provider = oidc.Provider.from_settings()
    if provider is None:
        raise Http404
    return provider


def _failed(request, exc: ApplicationError):
    return render(
        request, "sede/sign_in_error.html",
        {"error": exc, "now": timezone.localtime()}, status=exc.status,
    )  # fmt: skip


@require_GET
def oidc_start(request):
    """Off to the provider, with a fresh state, nonce and PKCE verifier in the session."""
    provider = _provider()
    target = request.GET.get("next") or FOLDER
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = FOLDER
    pending = oidc.PendingSignIn.start(target)
    try:
        url = oidc.authorization_url(provider, pending, _absolute(CALLBACK))
    except ApplicationError as exc:
        return _failed(request, exc)
    request.session[PENDING] = pending.as_dict()
    return redirect(url)


def _entity():
    """Where interesados signing in for the first time are registered (OIDC_ENTITY)."""
    if settings.OIDC_ENTITY:
        return entity_get_by_dir3(settings.OIDC_ENTITY)
    entity = entity_main()
    if entity is None:
        raise oidc.ProviderUnavailable(
            _("La identificación no está disponible en esta sede."), code="no_entity"
        )
    return entity


@require_GET
def oidc_callback(request):
    """The provider sends the citizen back here with a code (or an error)."""
    provider = _provider()
    pending = oidc.PendingSignIn.from_dict(request.session.pop(PENDING, None))
    actor = Actor(ip=client_ip(request))
    try:
        claims, id_token = oidc.complete(provider, pending, request.GET.dict(), _absolute(CALLBACK))
        identity = oidc.identity(claims)
        entity = _entity()
    except ApplicationError as exc:
        if pending is not None:  # a sign-in this browser started: worth a line in the trail
            audit_record(
                actor=actor, action="accounts.citizen.sign_in", outcome=Outcome.REJECTED,
                details={"provider": "oidc", "code": exc.code},
            )  # fmt: skip
        return _failed(request, exc)
    try:
        user = citizen_sign_in(actor=actor, entity=entity, identity=identity, provider="oidc")
    except ApplicationError as exc:  # refused and already audited by the service
        return _failed(request, exc)
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    request.session[ID_TOKEN] = id_token
    return redirect(pending.next)


@require_POST
def folder_logout(request):
    """Sign out here and, after a provider sign-in, at the provider too when it offers it."""
    id_token = request.session.get(ID_TOKEN)
    logout(request)
    provider = oidc.Provider.from_settings()
    if id_token and provider is not None:
        url = oidc.logout_url(provider, id_token, _absolute(LOGIN))
        if url:
            return redirect(url)
    return redirect(LOGIN)
