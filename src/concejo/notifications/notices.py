"""Notices (avisos) that a notification is waiting in the sede: e-mail and SMS.

The notice never carries the act itself, only where and until when to open it.
A failed notice does not invalidate the notification (art. 41.6): it is retried
by the outbox and stays visible in the admin.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from concejo.notifications.models import Notification, NotificationEvent

log = logging.getLogger(__name__)


class ConsoleSmsSender:
    """The embedded mode's SMS gateway: writes the message to the log (nothing is sent)."""

    delivers = False

    def send(self, phone: str, text: str) -> None:
        log.info("SMS a %s: %s", phone, text)


@lru_cache(maxsize=2)
def _sms_sender(path: str):
    return import_string(path)()


def sms_sender():
    return _sms_sender(settings.SMS_BACKEND)


def _text(n: Notification) -> tuple[str, str]:
    folder = f"{settings.SITE_URL.rstrip('/')}/carpeta/notificaciones/"
    subject = _("%(e)s: tiene una notificación en la sede electrónica") % {"e": n.entity.name}
    body = _(
        "Le informamos de que %(e)s ha puesto a su disposición una notificación "
        "(«%(s)s», expediente %(c)s).\n\nAcceda a ella identificándose en %(u)s"
    ) % {"e": n.entity.name, "s": n.subject, "c": n.case.case_code, "u": folder}
    if n.expires_at:
        body += "\n\n" + _(
            "Si no accede antes del %(d)s, la notificación se entenderá rechazada "
            "(art. 43.2 de la Ley 39/2015) y el procedimiento seguirá su curso."
        ) % {"d": f"{timezone.localtime(n.expires_at):%d/%m/%Y %H:%M}"}
    body += "\n\n" + _("Este aviso es informativo; no contiene el acto notificado.")
    return subject, body


def deliver_notices(payloads: list[dict]) -> list[Exception | None]:
    """Send many notices over one SMTP connection; one result per payload."""
    found = {
        str(n.pk): n
        for n in Notification.objects.select_related("entity", "case").filter(
            pk__in=[p["notification"] for p in payloads]
        )
    }
    results: list[Exception | None] = []
    events = []
    now = timezone.now()
    connection = get_connection(fail_silently=False)
    try:
        for payload in payloads:
            n = found.get(payload["notification"])
            if n is None:
                results.append(LookupError("notification not found"))
                continue
            subject, body = _text(n)
            try:
                if payload["medium"] == "email":
                    connection.open()  # once: later messages reuse the connection
                    EmailMessage(subject, body, to=[n.email], connection=connection).send()
                    where = n.email
                else:
                    sender = sms_sender()
                    sender.send(n.phone, subject)
                    where = n.phone
                    if not getattr(sender, "delivers", True):
                        where += " " + _("(sin pasarela de SMS: solo queda en el registro)")
            except Exception as exc:  # kept for retry by the outbox
                results.append(exc)
                continue
            results.append(None)
            events.append(
                NotificationEvent(
                    notification=n,
                    kind="notice_sent",
                    at=now,
                    author="system",
                    detail=_("Aviso enviado a %(w)s") % {"w": where},
                )
            )
    finally:
        connection.close()
    NotificationEvent.objects.bulk_create(events, batch_size=2000)
    return results
