"""Writes of account security: enrol and check the second factor, close every session."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.accounts import totp
from concejo.accounts.models import AccountSecurity
from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed

SESSION_EPOCH = "security_epoch"
PENDING_USER = "two_factor_pending_user"
VERIFIED = "two_factor_verified"


def security_of(user) -> AccountSecurity:
    found, _created = AccountSecurity.objects.get_or_create(user=user)
    return found


def two_factor_required(user) -> bool:
    """Administrators and signers must use it (TWO_FACTOR_REQUIRED); everybody else may."""
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(active=True, role__in=settings.TWO_FACTOR_ROLES).exists()


@audited_service("accounts.totp.start")
def totp_start(*, actor: Actor) -> AccountSecurity:
    """A new (unconfirmed) secret to scan; an active second factor is not replaced this way."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(actor.user).pk)
    if security.two_factor:
        raise Conflict(_("El doble factor ya está activado."), code="already_enabled")
    security.totp_secret = totp.new_secret()
    security.save(update_fields=["totp_secret"])
    return security


def _check(security: AccountSecurity, code: str) -> None:
    step = totp.matching_step(security.totp_secret, code) if security.totp_secret else None
    if step is None or step <= security.totp_last_step:  # wrong, or replayed
        raise ValidationFailed(
            _("El código no es válido."),
            code="invalid_code",
            fields={"code": _("Código no válido.")},
        )
    security.totp_last_step = step


@audited_service("accounts.totp.confirm")
def totp_confirm(*, actor: Actor, code: str) -> AccountSecurity:
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(actor.user).pk)
    if security.two_factor:
        raise Conflict(_("El doble factor ya está activado."), code="already_enabled")
    _check(security, code)
    security.totp_confirmed_at = timezone.now()
    security.save(update_fields=["totp_last_step", "totp_confirmed_at"])
    audit_record(actor=actor, action="accounts.totp.confirm", target=security)
    return security


@audited_service("accounts.totp.verify")
def totp_verify(*, actor: Actor, user, code: str) -> None:
    """The second step of a sign-in; failures count towards the lockout like passwords."""
    from concejo.core.login_guard import lockout_seconds, record_failure

    wait = lockout_seconds(user.get_username(), actor.ip)
    if wait:
        raise ValidationFailed(
            _("Demasiados intentos fallidos. Espere %(m)d minuto(s).") % {"m": max(1, round(wait / 60))},
            code="locked", fields={"code": _("Bloqueado temporalmente.")},
        )  # fmt: skip
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(user).pk)
    try:
        _check(security, code)
    except ValidationFailed:
        record_failure(user.get_username(), actor.ip)
        raise
    security.save(update_fields=["totp_last_step"])


@audited_service("accounts.sessions.close_all")
def sign_out_everywhere(*, actor: Actor) -> None:
    """Every open session of the employee ends at its next request."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(actor.user).pk)
    security.session_epoch += 1
    security.save(update_fields=["session_epoch"])
    audit_record(actor=actor, action="accounts.sessions.close_all", target=security)


def two_factor_reset(*, actor: Actor, user, reason: str) -> AccountSecurity:
    """A lost authenticator: the employee enrols again at their next sign-in.

    Only a superuser or an administrator of an entity the employee works in may
    do it, never for themself; every open session of the employee ends.
    """
    from concejo.organization.models import Membership, Role

    if not reason.strip():
        raise ValidationFailed(
            _("Indique el motivo."), code="required", fields={"reason": _("Obligatorio.")}
        )
    if actor.user is not None and actor.user.pk == user.pk:
        raise PermissionDenied(
            _("Nadie puede restablecer su propio doble factor."), code="own_two_factor"
        )
    if not (actor.is_system or (actor.user is not None and actor.user.is_superuser)):
        shared = Membership.objects.filter(
            user=user, active=True,
            entity__memberships__user=actor.user, entity__memberships__active=True,
            entity__memberships__role=Role.ADMINISTRATOR,
        )  # fmt: skip
        if actor.user is None or user.is_superuser or not shared.exists():
            raise PermissionDenied()
    with transaction.atomic():
        security = AccountSecurity.objects.select_for_update().get(pk=security_of(user).pk)
        security.totp_secret = ""
        security.totp_confirmed_at = None
        security.totp_last_step = 0
        security.session_epoch += 1
        security.save()
        audit_record(
            actor=actor, action="accounts.totp.reset", target=security,
            details={"user": user.get_username(), "reason": reason.strip()[:500]},
        )  # fmt: skip
    return security
