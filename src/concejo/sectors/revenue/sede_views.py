"""The citizen's taxes in "my folder": receipts, debts, payments, letters, paying online,
direct debit and the certificate of being up to date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from concejo.core.actors import Actor
from concejo.core.errors import ApplicationError
from concejo.people.models import Person, RepresentationScope
from concejo.sectors.revenue import documents, rules, services
from concejo.sectors.revenue.gateways import payment_gateway
from concejo.sectors.revenue.models import Mandate, PaymentChannel, Receipt
from concejo.sectors.revenue.selectors import (
    active_mandate,
    debt,
    interest_rates,
    receipts_of,
)
from concejo.sede.citizens import my_persons, valid_representations
from concejo.verification.http import issued_download

LOGIN = "/carpeta/entrar/"


def taxpayers_for(user) -> list[Person]:
    """The citizen, and everyone who gave them a general power or one before the entity."""
    mine = list(my_persons(user).select_related("entity"))
    own = {p.pk for p in mine}
    for power in valid_representations(user).filter(
        representative__in=mine,
        scope__in=[RepresentationScope.GENERAL, RepresentationScope.ENTITY],
    ):
        if power.grantor_id not in own:
            mine.append(power.grantor)
            own.add(power.grantor_id)
    return mine


def _taxpayer(request, person_id) -> Person:
    found = next((p for p in taxpayers_for(request.user) if p.pk == person_id), None)
    if found is None:
        raise Http404
    return found


def _receipt(request, receipt_id) -> Receipt:
    ids = [p.pk for p in taxpayers_for(request.user)]
    receipt = (
        Receipt.objects.filter(Q(pk=receipt_id), taxpayer_id__in=ids)
        .exclude(status="draft")
        .select_related("entity", "taxpayer")
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def _actor(request, person: Person) -> Actor:
    own = my_persons(request.user).filter(pk=person.pk).exists()
    return Actor.sede(
        request.user, ip=request.META.get("REMOTE_ADDR"), acting_for=None if own else person
    )


@login_required(login_url=LOGIN)
def my_taxes(request):
    today = timezone.localdate()
    taxpayers, rates = [], interest_rates()
    for person in taxpayers_for(request.user):
        rows = []
        for receipt in receipts_of(person)[:200]:
            state = debt(receipt, on=today, movements=list(receipt.movements.all()), rates=rates)
            rows.append((receipt, state))
        payments = [
            (receipt, m)
            for receipt, _state in rows
            for m in receipt.movements.all()
            if m.kind == "payment"
        ]
        taxpayers.append(
            {"person": person, "rows": rows, "mandate": active_mandate(person),
             "owed": sum(s.total_due_cents for r, s in rows if r.status == "pending"),
             "payments": sorted(payments, key=lambda rm: rm[1].on, reverse=True)}
        )  # fmt: skip
    return render(
        request, "revenue/my_taxes.html",
        {"taxpayers": taxpayers, "now": timezone.localtime(), "today": today,
         "online": bool(settings.PAYMENT_GATEWAY)},
    )  # fmt: skip


@login_required(login_url=LOGIN)
def letter(request, receipt_id):
    receipt = _receipt(request, receipt_id)
    try:
        issued = documents.payment_letter(
            _actor(request, receipt.taxpayer), receipt=receipt, on=timezone.localdate()
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("sede:my-taxes")
    return issued_download(issued, f"carta-de-pago-{receipt.reference or receipt.number}.pdf")


@login_required(login_url=LOGIN)
def pay(request, receipt_id):
    """Pay online through the configured gateway (PAYMENT_GATEWAY)."""
    gateway = payment_gateway()
    if gateway is None:
        raise Http404
    receipt = _receipt(request, receipt_id)
    today = timezone.localdate()
    state = debt(receipt, on=today)
    amount = state.total_due_cents
    operation = gateway.confirm(request, receipt, amount)
    if operation is None:
        return gateway.start(request, receipt, amount, state)
    try:
        services.payment_record(
            _actor(request, receipt.taxpayer), receipt=receipt, amount_cents=amount, on=today,
            channel=PaymentChannel.ONLINE, operation=f"{gateway.name}:{operation}"[:80],
        )  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Pago de %(a)s registrado (operación %(o)s).") % {"a": rules.euros(amount),
                                                                  "o": operation},
        )  # fmt: skip
    return redirect("sede:my-taxes")


@login_required(login_url=LOGIN)
@require_POST
def mandate(request, person_id):
    person = _taxpayer(request, person_id)
    actor = _actor(request, person)
    try:
        if request.POST.get("action") == "cancel":
            current = Mandate.objects.filter(debtor=person, status="active").first()
            if current is None:
                raise Http404
            services.mandate_cancel(actor, mandate=current)
            messages.success(request, _("Domiciliación revocada."))
        else:
            services.mandate_create(
                actor, entity=person.entity, debtor=person, iban=request.POST.get("iban", ""),
                account_holder=request.POST.get("account_holder", ""),
                signed_on=timezone.localdate(),
            )  # fmt: skip
            messages.success(
                request,
                _("Domiciliación registrada: los próximos recibos se cargarán en la cuenta."),
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("sede:my-taxes")


@login_required(login_url=LOGIN)
def certificate(request, person_id):
    person = _taxpayer(request, person_id)
    try:
        issued = documents.certificate(
            _actor(request, person), person=person, on=timezone.localdate()
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("sede:my-taxes")
    day: dt.date = timezone.localdate()
    return issued_download(issued, f"certificado-al-corriente-{day:%Y%m%d}.pdf")
