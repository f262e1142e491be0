"""Notifications: issue, notices to a real SMTP server, access, rejection, paper, the sweep."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from concejo.audit.models import AuditEntry
from concejo.cases.models import CaseStatus
from concejo.core.actors import Actor
from concejo.core.errors import Conflict, NotFound, ValidationFailed
from concejo.documents.models import Document
from concejo.notifications import selectors, services
from concejo.notifications.models import (
    Completion,
    Notification,
    NotificationEvent,
    NotificationStatus,
)
from concejo.notifications.tests.fixtures import issue_request
from concejo.organization.tests.factories import UserFactory
from concejo.outbox.models import OutboxTask, TaskStatus
from concejo.outbox.services import outbox_drain
from concejo.people.services import representation_grant, representation_revoke
from concejo.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
MADRID = dt.timezone(dt.timedelta(hours=1))


def issue(resolved, **kw):
    return services.notification_issue(actor=resolved["actor"], item=issue_request(resolved, **kw))


def citizen(resolved):
    return Actor(user=resolved["maria_user"], ip="83.44.1.20")


def test_issuing_makes_it_available_records_it_in_the_case_and_mails_a_notice(
    resolved, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        n = issue(resolved)
    assert (n.status, n.channel, n.expires) == (NotificationStatus.AVAILABLE, "electronic", True)
    # Ten natural days counted from the next day: the end of the tenth, Madrid time.
    local = timezone.localtime(n.made_available_at)
    assert timezone.localtime(n.expires_at).date() == local.date() + dt.timedelta(days=10)
    assert timezone.localtime(n.expires_at).time() == dt.time.max
    assert resolved["case"].events.filter(kind="notification").exists()
    assert smtp_server.recipients() == ["maria@example.org"]
    _to, message = smtp_server.messages[0]
    body = message.get_payload(decode=True).decode()
    assert "/carpeta/notificaciones/" in body and "no contiene el acto" in body
    kinds = list(n.events.values_list("kind", flat=True))
    assert kinds.count("notice_sent") == 2  # e-mail, and SMS through the console sender


def test_the_citizen_accesses_once_and_gets_an_acuse_in_the_case_and_the_appeal_deadline(
    resolved, django_capture_on_commit_callbacks
):
    n = issue(resolved)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_access(actor=citizen(resolved), notification=n)
    n.refresh_from_db()
    assert (n.status, n.completion) == (NotificationStatus.ACCESSED, Completion.ACCESSED)
    assert n.accessed_by == resolved["maria"] and n.accessed_ip == "83.44.1.20"
    # Recurso de reposición: one month from the day after the access (art. 30.4).
    assert n.appeal_due is not None
    assert n.appeal_due >= timezone.localtime(n.completed_at).date() + dt.timedelta(days=28)
    assert n.proof is not None and n.proof.sha256
    acuse = Document.objects.get(issued=n.proof)
    assert resolved["case"].index.filter(document=acuse).exists()
    assert acuse.document_type == "TD09"
    # The second access changes nothing: the first one counts.
    first = n.accessed_at
    services.notification_access(actor=citizen(resolved), notification=n)
    n.refresh_from_db()
    assert n.accessed_at == first
    assert n.events.filter(kind="accessed").count() == 1
    # The resolved case moves on: every notification of it is done... but the company's
    # is still pending in other tests; here it was the only one.
    resolved["case"].refresh_from_db()
    assert resolved["case"].status == CaseStatus.NOTIFIED


def test_someone_elses_notification_is_not_found_and_audited(resolved):
    n = issue(resolved)
    stranger = UserFactory(username="curioso", is_staff=False)
    PersonFactory(entity=resolved["entity"], user=stranger)
    with pytest.raises(NotFound):
        selectors.notification_for_citizen(Actor(user=stranger), n.pk)
    assert AuditEntry.objects.filter(
        action="notifications.notification.read", outcome="denied", object_id=str(n.pk)
    ).exists()
    with pytest.raises(NotFound):
        services.notification_access(actor=Actor(user=stranger), notification=n)
    assert AuditEntry.objects.filter(
        action="notifications.notification.access", outcome="rejected"
    ).exists()
    n.refresh_from_db()
    assert n.accessed_at is None


def test_a_representative_may_open_it_while_the_power_is_valid(resolved):
    n = issue(resolved)
    agent_user = UserFactory(username="gestor", is_staff=False)
    agent = PersonFactory(entity=resolved["entity"], user=agent_user)
    today = timezone.localdate()
    power = representation_grant(
        actor=Actor.system(), entity=resolved["entity"], grantor=resolved["maria"],
        representative=agent, scope="entity", valid_from=today, valid_to=today + dt.timedelta(days=30),
    )  # fmt: skip
    assert [x.pk for x in selectors.notifications_for_citizen(Actor(user=agent_user))] == [n.pk]
    representation_revoke(actor=Actor.system(), representation=power, reason="fin")
    with pytest.raises(NotFound):
        services.notification_access(actor=Actor(user=agent_user), notification=n)
    power = representation_grant(
        actor=Actor.system(), entity=resolved["entity"], grantor=resolved["maria"],
        representative=agent, scope="entity", valid_from=today, valid_to=today + dt.timedelta(days=30),
    )  # fmt: skip
    services.notification_access(actor=Actor(user=agent_user), notification=n)
    n.refresh_from_db()
    assert n.accessed_by == agent and n.status == NotificationStatus.ACCESSED


def test_explicit_rejection_completes_it_and_cannot_be_repeated(resolved):
    n = issue(resolved)
    services.notification_reject(actor=citizen(resolved), notification=n)
    n.refresh_from_db()
    assert (n.status, n.completion) == (NotificationStatus.REJECTED, Completion.REJECTED)
    with pytest.raises(Conflict) as err:
        services.notification_reject(actor=citizen(resolved), notification=n)
    assert err.value.code == "already_completed"


def _age(n, days: float):
    """Move a notification back in time as if it had been issued `days` ago."""
    shift = dt.timedelta(days=days)
    Notification.objects.filter(pk=n.pk).update(
        made_available_at=n.made_available_at - shift,
        expires_at=n.expires_at - shift if n.expires_at else None,
    )
    n.refresh_from_db()
    return n


def test_ten_days_without_access_count_as_rejected_when_read_even_before_the_sweep(
    resolved, django_capture_on_commit_callbacks
):
    n = issue(resolved)
    cutoff = n.expires_at
    assert selectors.effective(n, cutoff).status == NotificationStatus.AVAILABLE
    late = selectors.effective(n, cutoff + dt.timedelta(microseconds=1))
    assert (late.status, late.completion, late.completed_at) == (
        NotificationStatus.REJECTED, Completion.EXPIRED, cutoff,
    )  # fmt: skip
    assert late.appeal_due is not None
    n = _age(n, 11)
    assert list(selectors.with_status(Notification.objects.all(), "rejected")) == [n]
    assert not selectors.with_status(Notification.objects.all(), "available").exists()
    # The sweep (cron / Celery beat) makes it permanent and adds the proof to the case.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    n.refresh_from_db()
    assert (n.status, n.completion, n.completed_at) == (
        NotificationStatus.REJECTED, Completion.EXPIRED, n.expires_at,
    )  # fmt: skip
    assert n.proof is not None
    assert resolved["case"].index.filter(document__issued=n.proof).exists()
    resolved["case"].refresh_from_db()
    assert resolved["case"].status == CaseStatus.NOTIFIED
    # A late access is recorded but the rejection stands.
    services.notification_access(actor=citizen(resolved), notification=n)
    n.refresh_from_db()
    assert n.status == NotificationStatus.REJECTED and n.accessed_at is not None


def test_the_cutoff_can_be_exactly_ten_days_later(resolved, settings):
    settings.NOTIFICATION_EXPIRY_CUTOFF = "same_time"
    n = issue(resolved)
    assert n.expires_at - n.made_available_at == dt.timedelta(days=10)


def test_bad_issues_are_refused_with_a_clear_code_and_write_nothing(resolved):
    draft = Document.objects.create(
        entity=resolved["entity"], eni_identifier="ES_X_2026_DRAFT", title="Borrador",
        file_name="b.pdf", file="x", mime_type="application/pdf", size=1, sha256="0" * 64,
        captured_at=timezone.now(), origin="administration", elaboration_state="EE01",
        document_type="TD01", created_by="t",
    )  # fmt: skip
    resolved["case"].index.create(document=draft, position=9, sha256=draft.sha256, added_by="t")
    cases = [
        ({"document": draft}, "document_not_signed"),
        ({"channel": "paper", "person": resolved["company"]}, "electronic_obliged"),
        ({"person": PersonFactory(entity=resolved["entity"])}, "not_a_party"),
        ({"appeals": " "}, "required"),
    ]
    for overrides, code in cases:
        with pytest.raises(ValidationFailed) as err:
            issue(resolved, **overrides)
        assert err.value.code == code, overrides
    maria = resolved["maria"]
    maria.email, maria.phone = "", ""
    maria.save()
    with pytest.raises(ValidationFailed) as err:
        issue(resolved)
    assert err.value.code == "no_address"
    maria.address = ""
    maria.save()
    with pytest.raises(ValidationFailed) as err:
        issue(resolved, channel="paper")
    assert err.value.code == "no_address"
    assert not Notification.objects.exists() and not OutboxTask.objects.exists()


def test_paper_absent_twice_goes_to_the_boe_whose_publication_is_the_notification_date(
    resolved, django_capture_on_commit_callbacks
):
    maria = resolved["maria"]
    maria.preferred_channel = "postal"
    maria.save()
    n = issue(resolved)
    assert (n.channel, n.expires) == ("paper", False)
    from concejo.verification.services import document_content

    assert document_content(n.paper_document).startswith(b"%PDF")
    n = _age(n, 1)
    clerk = resolved["actor"]
    now = timezone.now()
    services.notification_paper_outcome(
        actor=clerk, notification=n, outcome="absent", at=now - dt.timedelta(hours=2)
    )
    services.notification_paper_outcome(
        actor=clerk, notification=n, outcome="absent", at=now - dt.timedelta(hours=1)
    )
    n.refresh_from_db()
    assert n.status == NotificationStatus.AVAILABLE and n.announcement.published_on is None
    with pytest.raises(Conflict):
        services.notification_paper_outcome(actor=clerk, notification=n, outcome="absent", at=now)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_boe_published(
            actor=clerk, notification=n, published_on=today, reference="BOE-N-2026-123456"
        )
    n.refresh_from_db()
    assert (n.status, n.completion) == (NotificationStatus.PUBLISHED, Completion.BOE)
    assert timezone.localtime(n.completed_at).date() == today
    assert n.proof is not None


def test_whichever_channel_completes_first_counts(resolved):
    maria = resolved["maria"]
    maria.preferred_channel = "postal"
    maria.save()
    n = issue(resolved)
    services.notification_access(actor=citizen(resolved), notification=n)  # art. 42.1
    n.refresh_from_db()
    accessed = n.completed_at
    services.notification_paper_outcome(
        actor=resolved["actor"], notification=n, outcome="delivered",
        at=timezone.now(), receiver_name="María García",
    )  # fmt: skip
    n.refresh_from_db()
    assert (n.completion, n.completed_at) == (Completion.ACCESSED, accessed)
    assert n.events.filter(kind="paper_delivered").exists()


def test_with_the_smtp_server_down_no_notice_is_lost(resolved, smtp_server, settings):
    settings.OUTBOX_MODE = "deferred"
    smtp_server.stop()
    issued = [issue(resolved), issue(resolved, person=resolved["company"])]
    assert outbox_drain() == (1, 2)  # María's SMS (console) goes; both e-mails fail
    failed = OutboxTask.objects.filter(status=TaskStatus.FAILED)
    assert failed.count() == 2 and all(t.next_attempt_at for t in failed)
    # The server is back five minutes later: the retries deliver every notice.
    smtp_server.start()
    later = timezone.now() + dt.timedelta(minutes=5)
    assert outbox_drain(now=later) == (2, 0)
    assert sorted(smtp_server.recipients()) == ["maria@example.org", "obras@example.org"]
    for n in issued:
        assert NotificationEvent.objects.filter(notification=n, kind="notice_sent").exists()


def test_the_applicants_representative_on_the_case_receives_it(resolved):
    from concejo.cases.models import CaseParty, PartyRole

    agent = PersonFactory(entity=resolved["entity"], email="gestoria@example.org")
    CaseParty.objects.create(case=resolved["case"], person=agent, role=PartyRole.REPRESENTATIVE)
    n = issue(resolved)
    assert (n.addressee, n.representative, n.email) == (
        resolved["maria"], agent, "gestoria@example.org",
    )  # fmt: skip
    company = issue(resolved, person=resolved["company"])  # a third party: no representative
    assert company.representative is None
