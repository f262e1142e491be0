"""The relying party of an OpenID Connect provider (e.g. a Cl@ve bridge).

Authorization-code flow with PKCE (S256), `state` and `nonce`; the ID token is
verified with PyJWT against the keys the provider publishes (JWKS). This module
speaks the protocol only: it touches no table. `citizen_sign_in` (services)
turns the verified claims into an interesado and an account.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from typing import Any

import jwt
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from concejo.core.errors import ApplicationError, ValidationFailed
from concejo.people.identifiers import identify
from concejo.people.models import PersonKind

METADATA_SECONDS = 3600  # discovery document and keys are read again after an hour
LEEWAY_SECONDS = 60  # clock difference tolerated between the provider and us
ASYMMETRIC = ("RS", "PS", "ES", "Ed")
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "nonce"]


class SignInFailed(ApplicationError):
    """The provider's answer cannot be trusted or used; nothing is signed in."""

    status = 400
    code = "sign_in_failed"
    default_message = _("No se ha podido completar la identificación.")


class ProviderUnavailable(ApplicationError):
    status = 502
    code = "provider_unavailable"
    default_message = _(
        "El servicio de identificación no responde en este momento. "
        "Inténtelo de nuevo dentro de unos minutos."
    )


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    algorithms: tuple[str, ...]
    timeout: int

    @classmethod
    def from_settings(cls) -> Provider | None:
        """The configured provider, or None when citizens' OIDC sign-in is off."""
        if not settings.OIDC_ISSUER:
            return None
        scopes = settings.OIDC_SCOPES.split()
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        return cls(
            issuer=settings.OIDC_ISSUER,
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            scopes=" ".join(scopes),
            # Only public-key signatures: a shared-secret (HS*) or unsigned token is refused.
            algorithms=tuple(a for a in settings.OIDC_ALGORITHMS if a.startswith(ASYMMETRIC)),
            timeout=settings.OIDC_TIMEOUT,
        )


@dataclass(frozen=True)
class PendingSignIn:
    """What waits in the citizen's session between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str
    next: str

    @classmethod
    def start(cls, next_url: str) -> PendingSignIn:
        return cls(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            verifier=secrets.token_urlsafe(64),  # 86 characters: within RFC 7636's 43-128
            next=next_url,
        )

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> PendingSignIn | None:
        try:
            return cls(**data)
        except TypeError:
            return None


def _fetch_json(
    url: str, timeout: int, *, form: dict[str, str] | None = None, headers: dict[str, str]
) -> dict[str, Any]:
    """A JSON answer from the provider (a POST when `form` is given). Unreachable,
    failing or unintelligible means unavailable; a 4xx to a POST means it refused."""
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise ProviderUnavailable(code="provider_misconfigured")
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    # The scheme is checked above; the address comes from our settings or the
    # provider's own discovery document.
    request = urllib.request.Request(  # noqa: S310
        url, data=data, headers={"Accept": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(1024 * 1024)
    except urllib.error.HTTPError as exc:
        if form is not None and 400 <= exc.code < 500:  # the token endpoint refused the code
            raise SignInFailed(
                _("El servicio de identificación ha rechazado la petición."),
                code="token_refused",
            ) from exc
        raise ProviderUnavailable() from exc
    except (OSError, ValueError) as exc:  # refused, timed out, DNS, TLS, bad URL
        raise ProviderUnavailable() from exc
    try:
        answer = json.loads(body)
    except ValueError as exc:
        raise ProviderUnavailable(code="provider_bad_answer") from exc
    if not isinstance(answer, dict):
        raise ProviderUnavailable(code="provider_bad_answer")
    return answer


def metadata(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (<issuer>/.well-known/openid-configuration)."""
    key = f"oidc:metadata:{provider.issuer}"
    found = cache.get(key)
    if found is not None:
        return found
    found = _fetch_json(
        f"{provider.issuer}/.well-known/openid-configuration", provider.timeout, headers={}
    )
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the same issuer.
    if found.get("issuer", "").rstrip("/") != provider.issuer:
        raise ProviderUnavailable(code="provider_misconfigured")
    for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(found.get(endpoint), str):
            raise ProviderUnavailable(code="provider_misconfigured")
    cache.set(key, found, METADATA_SECONDS)
    return found


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(provider: Provider, pending: PendingSignIn, redirect_uri: str) -> str:
    """Where to send the citizen's browser to sign in at the provider."""
    endpoint = metadata(provider)["authorization_endpoint"]
    query = urllib.parse.urlencode({
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scopes,
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": _s256(pending.verifier),
        "code_challenge_method": "S256",
    })  # fmt: skip
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _redeem_code(
    provider: Provider, code: str, pending: PendingSignIn, redirect_uri: str
) -> dict[str, Any]:
    found = metadata(provider)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": pending.verifier,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    methods = found.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods:
        # RFC 6749, section 2.3.1: both parts form-encoded before joining them.
        pair = ":".join(
            urllib.parse.quote(p, safe="") for p in (provider.client_id, provider.client_secret)
        )
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
    else:
        form.update(client_id=provider.client_id, client_secret=provider.client_secret)
    return _fetch_json(found["token_endpoint"], provider.timeout, form=form, headers=headers)


def _signing_keys(provider: Provider, refresh: bool = False) -> jwt.PyJWKSet:
    uri = metadata(provider)["jwks_uri"]
    key = f"oidc:jwks:{uri}"
    document = None if refresh else cache.get(key)
    if document is None:
        document = _fetch_json(uri, provider.timeout, headers={})
        cache.set(key, document, METADATA_SECONDS)
    # Shared-secret keys ("oct") are never accepted for an ID token.
    usable = [k for k in document.get("keys", []) if isinstance(k, dict) and k.get("kty") != "oct"]
    try:
        return jwt.PyJWKSet(usable)
    except jwt.PyJWTError as exc:
        raise ProviderUnavailable(code="provider_misconfigured") from exc


def _key_for(provider: Provider, token: str) -> jwt.PyJWK:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as exc:
        raise SignInFailed(code="bad_token") from exc
    for refresh in (False, True):  # a key we do not know yet: the provider may have rotated
        keys = _signing_keys(provider, refresh=refresh)
        if kid is None and len(keys.keys) == 1:
            return keys.keys[0]
        for candidate in keys.keys:
            if candidate.key_id == kid:
                return candidate
    raise SignInFailed(code="bad_token")


def verify_id_token(provider: Provider, token: str, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, times and nonce hold."""
    key = _key_for(provider, token)
    try:
        claims = jwt.decode(
            token,
            key=key.key,
            algorithms=list(provider.algorithms),
            audience=provider.client_id,
            issuer=metadata(provider)["issuer"],  # exactly as the provider writes it
            leeway=LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as exc:
        raise SignInFailed(
            _("La identificación ha caducado. Vuelva a intentarlo."), code="token_expired"
        ) from exc
    except jwt.PyJWTError as exc:
        raise SignInFailed(code="bad_token") from exc
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise SignInFailed(code="bad_token")
    if not secrets.compare_digest(str(claims["nonce"]), nonce):
        raise SignInFailed(code="nonce_mismatch")
    return claims


def complete(
    provider: Provider, pending: PendingSignIn | None, params: dict[str, str], redirect_uri: str
) -> tuple[dict[str, Any], str]:
    """The verified claims and the raw ID token for the provider's answer on our callback."""
    if params.get("error"):
        raise SignInFailed(
            _("El servicio de identificación no ha identificado a nadie (%(e)s).")
            % {"e": "".join(c for c in params["error"][:60] if c.isalnum() or c == "_")},
            code="provider_error",
        )
    if pending is None or not secrets.compare_digest(params.get("state", ""), pending.state):
        raise SignInFailed(
            _("La identificación no corresponde a esta sesión. Vuelva a empezar."),
            code="state_mismatch",
        )
    if not params.get("code"):
        raise SignInFailed(code="missing_code")
    answer = _redeem_code(provider, params["code"], pending, redirect_uri)
    token = answer.get("id_token")
    if not isinstance(token, str):
        raise SignInFailed(code="bad_token")
    claims = verify_id_token(provider, token, pending.nonce)
    if not _claim(claims, settings.OIDC_NIF_CLAIM):  # some bridges give it only at userinfo
        claims = {**_userinfo(provider, answer, claims), **claims}
    return claims, token


def _userinfo(provider: Provider, answer: dict[str, Any], claims: dict[str, Any]) -> dict[str, Any]:
    """The claims the ID token left out, from the provider's userinfo endpoint
    (OpenID Connect Core 1.0, 5.3), when it has one; the ID token's own claims win."""
    endpoint = metadata(provider).get("userinfo_endpoint")
    access = answer.get("access_token")
    if not isinstance(endpoint, str) or not isinstance(access, str):
        return {}
    found = _fetch_json(endpoint, provider.timeout, headers={"Authorization": f"Bearer {access}"})
    # 5.3.2: an answer about anyone but the ID token's subject must not be used.
    if not secrets.compare_digest(str(found.get("sub", "")), str(claims["sub"])):
        raise SignInFailed(code="userinfo_mismatch")
    return found


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def identity(claims: dict[str, Any]) -> dict[str, str]:
    """The interesado the claims describe (claim names from the OIDC_*_CLAIM settings).

    The NIF/NIE/CIF is checked like any other; an unusable e-mail is left out
    rather than refusing the sign-in.
    """
    raw = _claim(claims, settings.OIDC_NIF_CLAIM)
    if not raw:
        raise SignInFailed(
            _("El servicio de identificación no ha facilitado su NIF."), code="missing_nif"
        )
    try:
        kind, id_type, number = identify(raw)
    except ValidationFailed as exc:
        raise SignInFailed(
            _("El NIF facilitado por el servicio de identificación no es válido: %(m)s")
            % {"m": exc.message},
            code="invalid_nif",
        ) from exc
    data = {"kind": kind, "id_type": id_type, "id_number": number}
    if kind == PersonKind.LEGAL:
        data["business_name"] = _claim(claims, settings.OIDC_BUSINESS_NAME_CLAIM)
    else:
        data["first_name"] = _claim(claims, settings.OIDC_GIVEN_NAME_CLAIM)
        data["last_name_1"] = _claim(claims, settings.OIDC_SURNAME1_CLAIM)
        data["last_name_2"] = _claim(claims, settings.OIDC_SURNAME2_CLAIM)
    email = _claim(claims, settings.OIDC_EMAIL_CLAIM)
    try:
        validate_email(email)
    except DjangoValidationError:
        email = ""
    data["email"] = email
    return data


def logout_url(provider: Provider, id_token: str, after: str) -> str | None:
    """RP-initiated logout at the provider, when it offers it (end_session_endpoint)."""
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except ApplicationError:
        return None  # the provider is down: the local session ends anyway
    if not isinstance(endpoint, str) or not endpoint:
        return None
    query = urllib.parse.urlencode({
        "id_token_hint": id_token,
        "client_id": provider.client_id,
        "post_logout_redirect_uri": after,
    })  # fmt: skip
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
