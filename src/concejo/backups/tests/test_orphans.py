"""`concejo orphan_files`: files that no row names, left by a worker killed before its COMMIT."""

import datetime as dt
import hashlib
import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from concejo.audit.models import AuditEntry
from concejo.core.actors import Actor
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.people.tests.factories import PersonFactory
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import RegistryAttachment, RegistryEntry
from concejo.registry.services import registry_entry_create
from concejo.registry.tests.conftest import PDF, PNG

LATER = dt.timedelta(hours=25)  # past the 24 hours of grace


def run(*args) -> str:
    out = io.StringIO()
    call_command("orphan_files", *args, stdout=out)
    return out.getvalue()


def aged(path, age: dt.timedelta) -> None:
    when = (timezone.now() - age).timestamp()
    os.utime(path, (when, when))


def on_disk(media) -> set:
    return {p for p in media.rglob("*") if p.is_file()}


def removal_rows() -> list[dict]:
    return [
        row.details
        for row in AuditEntry.objects.filter(action="storage.orphans_removed").order_by("at")
    ]


@pytest.fixture
def clerk(council):
    return Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)


@pytest.mark.django_db
def test_only_old_files_no_row_names_are_removed_and_each_is_recorded(
    clerk, council, registry_setup, isolated_media
):
    entry = registry_entry_create(
        actor=clerk, entity=council, subject="Solicitud", channel="office",
        interested=[PersonFactory(entity=council)],
        attachments=[AttachmentInput("plano.pdf", PDF), AttachmentInput("foto.png", PNG)],
    )  # fmt: skip
    kept = on_disk(isolated_media)  # the attachments (and the receipt, if rendered yet)
    folder = (isolated_media / entry.attachments.first().file.name).parent
    orphan, young, ancient = folder / "huerfano.pdf", folder / "reciente.pdf", folder / "viejo.pdf"
    for path in (orphan, young, ancient):
        path.write_bytes(PDF + path.name.encode())
    for path in [*kept, orphan]:
        aged(path, dt.timedelta(hours=30))
    aged(young, dt.timedelta(hours=2))  # may belong to a transaction still running
    aged(ancient, dt.timedelta(days=30))  # before the look-back window

    listed = run("--simular")
    assert str(orphan.relative_to(isolated_media)) in listed
    assert "1 encontrado(s) (no se ha borrado nada)" in listed
    assert orphan.exists() and removal_rows() == []

    assert "1 borrado(s)" in run()
    assert not orphan.exists()
    assert all(p.exists() for p in [*kept, young, ancient])
    [row] = removal_rows()
    assert row["files"] == [
        {
            "name": str(orphan.relative_to(isolated_media)),
            "size": len(PDF + b"huerfano.pdf"),
            "modified": row["files"][0]["modified"],
            "sha256": hashlib.sha256(PDF + b"huerfano.pdf").hexdigest(),
        }
    ]
    assert "0 borrado(s)" in run()  # nothing left to find

    assert "1 borrado(s)" in run("--dias", "40")  # a wider window reaches the older one
    assert not ancient.exists() and young.exists()


@pytest.mark.django_db
def test_a_grace_under_an_hour_is_refused(isolated_media):
    with pytest.raises(CommandError, match="grace_too_short"):
        run("--horas", "0.5")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_before_its_commit_leaves_files_the_sweep_removes(
    clerk, council, registry_setup, isolated_media, tmp_path
):
    """A real process files an entry with two attachments and is killed (SIGKILL)
    before its COMMIT: no entry, its files on disk. The sweep finds exactly those."""
    person = PersonFactory(entity=council)
    registry_entry_create(
        actor=clerk, entity=council, subject="Antes", channel="office", interested=[person],
        attachments=[AttachmentInput("antes.pdf", PDF)],
    )  # fmt: skip
    before = on_disk(isolated_media)  # its attachment and its receipt
    assert len(before) == 2
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@"
        f"{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    )
    worker = textwrap.dedent(f"""
        import os, signal, django
        django.setup()
        from django.db import transaction
        from django.contrib.auth import get_user_model
        from concejo.core.actors import Actor
        from concejo.organization.models import Entity
        from concejo.people.models import Person
        from concejo.registry.attachments import AttachmentInput
        from concejo.registry.services import registry_entry_create
        with transaction.atomic():
            registry_entry_create(
                actor=Actor(user=get_user_model().objects.get(pk={str(clerk.user.pk)!r})),
                entity=Entity.objects.get(pk={str(council.pk)!r}), subject="Muerto",
                channel="office", interested=[Person.objects.get(pk={str(person.pk)!r})],
                attachments=[AttachmentInput("a.pdf", {PDF!r} * 100),
                             AttachmentInput("b.png", {PNG!r})],
            )
            print("written", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    data_dir = isolated_media.parent  # MEDIA_ROOT is DATA_DIR / "media"
    result = subprocess.run(
        [sys.executable, "-c", worker], capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": url, "CONCEJO_DATA_DIR": str(data_dir),
             "DJANGO_SETTINGS_MODULE": "concejo.conf.settings", "OUTBOX_MODE": "inline"},
    )  # fmt: skip
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert result.stdout == "written\n"
    assert list(RegistryEntry.objects.values_list("subject", flat=True)) == ["Antes"]
    left = {str(p.relative_to(isolated_media)) for p in on_disk(isolated_media) - before}
    assert len(left) == 2  # the killed worker's two attachments
    assert not RegistryAttachment.objects.filter(file__in=left).exists()

    later = timezone.now() + LATER
    from concejo.backups.orphans import orphan_files_remove

    removed = orphan_files_remove(now=later)
    assert {o.name for o in removed} == left
    assert {o.size for o in removed} == {len(PDF) * 100, len(PNG)}
    assert on_disk(isolated_media) == before
    assert [f["name"] for f in removal_rows()[0]["files"]] == sorted(left)
