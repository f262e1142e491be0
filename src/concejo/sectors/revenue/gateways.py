"""Online payment gateways (pasarelas de pago) for the sede's "pay online".

A gateway starts a card payment for an amount and, when the citizen comes
back, says whether it was paid and with which operation reference. The
setting PAYMENT_GATEWAY names the class; a bank's gateway (Redsys, …) is
another subclass. The demo gateway of the embedded mode charges nothing.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string


class PaymentGateway(ABC):
    name = ""

    @abstractmethod
    def start(self, request: HttpRequest, receipt, amount_cents: int, state) -> HttpResponse:
        """The page (or redirect to the bank) where the citizen pays `amount_cents`."""

    @abstractmethod
    def confirm(self, request: HttpRequest, receipt, amount_cents: int) -> str | None:
        """The bank's operation reference if this return means paid, else None."""


class DemoGateway(PaymentGateway):
    """Pretend payment for trying the sede: clearly marked, no card data, embedded mode only."""

    name = "demo"

    def __init__(self) -> None:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("The demo payment gateway cannot run in production")

    def start(self, request, receipt, amount_cents, state):
        return render(
            request, "revenue/pay.html",
            {"receipt": receipt, "state": state, "amount": amount_cents,
             "now": timezone.localtime()},
        )  # fmt: skip

    def confirm(self, request, receipt, amount_cents):
        if request.method != "POST":
            return None
        return f"DEMO-{secrets.token_hex(6).upper()}"


def payment_gateway() -> PaymentGateway | None:
    """The configured gateway, or None when online payment is off."""
    path = settings.PAYMENT_GATEWAY
    return import_string(path)() if path else None
