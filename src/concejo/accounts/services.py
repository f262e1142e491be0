"""Writes of accounts: citizens signing in through an identity provider, and account
security (enrol and check the second factor, close every session)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.accounts import totp
from concejo.accounts.models import AccountSecurity
from concejo.audit.services import audit_record, audited_service
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.organization.models import Entity

SESSION_EPOCH = "security_epoch"
PENDING_USER = "two_factor_pending_user"
VERIFIED = "two_factor_verified"


def security_of(user) -> AccountSecurity:
    """The user's account security (read with the request's user when it exists)."""
    try:
        return user.security
    except AccountSecurity.DoesNotExist:
        found, _created = AccountSecurity.objects.get_or_create(user=user)
        user.security = found
        return found


def _locked_security(user) -> AccountSecurity:
    """The user's security row, locked; later reads through the user see what is written."""
    security = AccountSecurity.objects.select_for_update().get(pk=security_of(user).pk)
    user.security = security
    return security


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
    security = _locked_security(actor.user)
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
    security = _locked_security(actor.user)
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
    security = _locked_security(user)
    try:
        _check(security, code)
    except ValidationFailed:
        record_failure(user.get_username(), actor.ip)
        raise
    security.save(update_fields=["totp_last_step"])


@audited_service("accounts.sessions.close_all")
def sign_out_everywhere(*, actor: Actor) -> None:
    """Every open session of the employee ends at its next request."""
    security = _locked_security(actor.user)
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
        security = _locked_security(user)
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


CITIZEN_USERNAME = "ciudadano-{}"


def _citizen_account(*, actor: Actor, identity: dict[str, str], known_ids: set):
    """The account the document already belongs to, or a new one without a password."""
    user_model = get_user_model()
    if len(known_ids) > 1:
        raise Conflict(
            _("Su documento está asociado a varias cuentas. Diríjase al ayuntamiento."),
            code="several_accounts",
        )
    if known_ids:
        user = user_model.objects.get(pk=next(iter(known_ids)))
        if not user.is_active:
            raise PermissionDenied(_("Su cuenta está desactivada."), code="account_disabled")
        if user.is_staff or user.is_superuser:
            # Employees' accounts have their own sign-in (and second factor).
            raise PermissionDenied(
                _("Su documento está asociado a una cuenta de empleado."), code="employee_account"
            )
        return user, False
    username = CITIZEN_USERNAME.format(identity["id_number"].lower())
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(
                username=username,
                password=None,  # unusable: this account only signs in through the provider
                first_name=identity.get("first_name") or identity.get("business_name", "")[:150],
                last_name=" ".join(
                    p for p in (identity.get("last_name_1"), identity.get("last_name_2")) if p
                )[:150],
                email=identity.get("email", ""),
                is_staff=False,
            )
    except IntegrityError as exc:  # the same citizen signing in twice at once, or a taken name
        raise Conflict(
            _("No se ha podido preparar su cuenta. Vuelva a intentarlo."), code="account_conflict"
        ) from exc
    audit_record(
        actor=Actor.sede(user, ip=actor.ip), action="accounts.citizen.create", target=user,
        details={"username": username},
    )  # fmt: skip
    return user, True


@audited_service("accounts.citizen.sign_in")
def citizen_sign_in(*, actor: Actor, entity: Entity, identity: dict[str, str], provider: str):
    """The account of whoever an identity provider vouched for, ready to log in.

    `identity` holds a checked document (kind, id_type, id_number) and the names
    and e-mail the provider gave. The interesado is found or created in `entity`,
    every interesado with that document and no account yet (in any entity) is
    linked to the account, and the account is created when the document had
    none. All of it in one transaction: a refusal leaves nothing behind.
    """
    from concejo.people import services as people
    from concejo.people.models import Person

    same_document = Person.objects.filter(
        id_type=identity["id_type"], id_number=identity["id_number"]
    )
    known_ids = set(same_document.exclude(user=None).values_list("user_id", flat=True))
    user, created = _citizen_account(actor=actor, identity=identity, known_ids=known_ids)
    signed_in = Actor.sede(user, ip=actor.ip)
    person = people.person_find_or_create(actor=signed_in, entity=entity, data=identity)
    people.persons_link_user(
        actor=signed_in, id_type=identity["id_type"], id_number=identity["id_number"], user=user
    )
    if Person.objects.filter(pk=person.pk).values_list("user_id", flat=True).get() != user.pk:
        # Another sign-in with the same document created the interesado meanwhile.
        raise Conflict(
            _("No se ha podido preparar su cuenta. Vuelva a intentarlo."), code="account_conflict"
        )
    audit_record(
        actor=signed_in, action="accounts.citizen.sign_in", entity=entity, target=person,
        details={"provider": provider, "new_account": created},
    )  # fmt: skip
    return user
