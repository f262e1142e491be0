"""`concejo backup` and `concejo restore` on the real database and a real file storage."""

import hashlib
import io
import json
import shutil

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from concejo.audit.models import AuditChainHead, AuditEntry
from concejo.backups.services import WRITTEN_BY_MIGRATE, backup_models
from concejo.cases.services import case_document_upload, case_open_from_entry
from concejo.core.actors import Actor
from concejo.deadlines.models import LocalCalendar
from concejo.deadlines.services import local_calendar_set
from concejo.demo.catalog import valladolid_holidays
from concejo.documents.models import Document, DocumentVersion
from concejo.documents.services import document_replace_content, document_verify
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.people.tests.factories import PersonFactory
from concejo.procedures.services import procedure_create, procedure_publish
from concejo.procedures.tests.factories import content
from concejo.registry.attachments import AttachmentInput
from concejo.registry.models import RegistryAttachment
from concejo.registry.services import registry_entry_create
from concejo.registry.tests.conftest import PDF, PNG
from concejo.verification.models import IssuedDocument

# Transactional: the receipt is rendered on commit, and restore runs its own transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def town(council, registry_setup, system):
    """A council with a registry entry (two attachments and its receipt), the case opened
    from it with a new document in two versions, staff with permissions, and the audit
    rows all of that wrote."""
    unit = registry_setup["licences"]
    for year in range(2025, 2028):
        local_calendar_set(
            actor=system, municipality_ine=council.ine_code, municipality_name="Pruebas",
            year=year, holidays=valladolid_holidays(year),
        )  # fmt: skip
    version = procedure_create(
        actor=system, entity=council, sia_code="2045001", **content(council, responsible_unit=unit)
    )
    procedure_publish(actor=system, procedure=version.procedure)
    clerk = Actor(user=MembershipFactory(entity=council, role=Role.REGISTRY_CLERK).user)
    handler = MembershipFactory(entity=council, unit=unit, role=Role.CASE_HANDLER).user
    handler.user_permissions.add(Permission.objects.get(codename="view_document"))
    handler.groups.add(Group.objects.create(name="Revisión de licencias"))
    entry = registry_entry_create(
        actor=clerk, entity=council, subject="Licencia de obra menor",
        interested=[PersonFactory(entity=council)], procedure=version.procedure,
        attachments=[AttachmentInput("presupuesto.pdf", PDF), AttachmentInput("plano.png", PNG)],
    )  # fmt: skip
    case = case_open_from_entry(actor=clerk, entry=entry)
    report = case_document_upload(
        actor=Actor(user=handler), case=case, title="Informe técnico",
        file_name="informe.pdf", content=PDF + b"% primera version\n", document_type="TD13",
    )  # fmt: skip
    document_replace_content(
        actor=Actor(user=handler), document=report, file_name="informe.pdf",
        content=PDF + b"% segunda version\n",
    )  # fmt: skip
    return {"entity": council, "clerk": clerk, "procedure": version.procedure}


def snapshot() -> dict:
    """What a restore must bring back exactly."""
    return {
        "rows": {m._meta.label_lower: m._base_manager.count() for m in backup_models()},
        "documents": dict(Document.objects.values_list("pk", "sha256")),
        "attachments": dict(RegistryAttachment.objects.values_list("pk", "sha256")),
        "audit": list(AuditEntry.objects.order_by("chain", "seq").values_list("chain", "hash")),
        "heads": dict(AuditChainHead.objects.values_list("chain", "last_hash")),
        "user_permissions": sorted(
            Permission.objects.filter(user__isnull=False).values_list("codename", flat=True)
        ),
    }


def stored_files(media) -> dict[str, str]:
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return {str(p.relative_to(media)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def make_backup(tmp_path):
    folder = tmp_path / "copia"
    out = io.StringIO()
    call_command("backup", "--output", str(folder), stdout=out)
    assert "Copia de seguridad creada" in out.getvalue()
    return folder


def restore(folder, *args) -> str:
    out = io.StringIO()
    call_command("restore", "--input", str(folder), *args, stdout=out)
    return out.getvalue()


def rewrite(folder, path, change) -> None:
    """Change a part and record its new hash and size, as a careless hand would."""
    part = folder / path
    part.write_bytes(change(part.read_bytes()))
    manifest = json.loads((folder / "manifest.json").read_text())
    for item in manifest["parts"]:
        if item["path"] == path:
            item["sha256"] = hashlib.sha256(part.read_bytes()).hexdigest()
            item["size"] = part.stat().st_size
    (folder / "manifest.json").write_text(json.dumps(manifest))


def empty_database_and_storage(media) -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media, ignore_errors=True)


def test_a_backup_restores_into_a_fresh_database_with_its_hashes_and_audit_chain(
    town, tmp_path, isolated_media
):
    # Given a council at work, whose receipt has been rendered and stored
    assert IssuedDocument.objects.exclude(file="").exists()
    assert DocumentVersion.objects.exists()
    before, files_before = snapshot(), stored_files(isolated_media)

    # When it is backed up
    folder = make_backup(tmp_path)

    # Then the manifest lists every table and stored file with hashes and the schema state
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database_vendor"] == connection.vendor
    ((_, audit_leaf),) = MigrationLoader(connection).graph.leaf_nodes("audit")
    assert manifest["migrations"]["audit"] == audit_leaf
    assert manifest["platform_version"] and manifest["created_at"]
    files = {p["name"]: p["sha256"] for p in manifest["parts"] if p["kind"] == "file"}
    assert files == files_before
    tables = {p["model"]: p["rows"] for p in manifest["parts"] if p["kind"] == "table"}
    assert tables == before["rows"]
    assert "sessions.session" not in tables
    for part in manifest["parts"]:
        assert hashlib.sha256((folder / part["path"]).read_bytes()).hexdigest() == part["sha256"]

    # When it is restored into an empty, migrated database with an empty storage
    # (holding only rows such as a data migration writes: same values, new id and time)
    empty_database_and_storage(isolated_media)
    assert not AuditEntry.objects.exists() and not Document.objects.exists()
    LocalCalendar.objects.create(municipality_ine="47999", municipality_name="Pruebas", year=2025)
    out = restore(folder)

    # Then every row, file, document hash and audit link is back
    assert snapshot() == before
    assert stored_files(isolated_media) == files_before
    for document in Document.objects.all():
        document_verify(document=document)
    verified = io.StringIO()
    call_command("audit_verify", stdout=verified)
    assert "Auditoría íntegra" in verified.getvalue()
    assert f"audit.auditentry: {before['rows']['audit.auditentry']}" in out
    hashed = (  # two attachments, their copies in the case, the report, its first version, the receipt
        RegistryAttachment.objects.count() + Document.objects.count()
        + DocumentVersion.objects.count() + IssuedDocument.objects.exclude(file="").count()
    )  # fmt: skip
    assert hashed == 7
    assert f"Verificación correcta: {hashed} fichero(s)" in out

    # And the platform carries on: new rows get new ids (sequences follow the restored ones)
    registry_entry_create(
        actor=town["clerk"], entity=town["entity"], subject="Otra solicitud",
        interested=[PersonFactory(entity=town["entity"])], procedure=town["procedure"],
        attachments=[AttachmentInput("otra.pdf", PDF)],
    )  # fmt: skip
    assert AuditEntry.objects.count() > before["rows"]["audit.auditentry"]
    call_command("audit_verify", stdout=io.StringIO())


def test_a_tampered_file_in_the_backup_is_refused_naming_the_part(town, tmp_path, isolated_media):
    # Given a backup whose copy of an attachment was altered
    folder = make_backup(tmp_path)
    attachment = RegistryAttachment.objects.order_by("pk").first()
    part = f"files/{attachment.file.name}"
    (folder / part).write_bytes(PDF + b"% alterado\n")
    before, files_before = snapshot(), stored_files(isolated_media)

    # When it is restored, then it is refused before anything changes
    with pytest.raises(CommandError) as err:
        restore(folder, "--yes")
    assert err.value.__cause__.code == "part_mismatch"
    assert part in str(err.value)
    assert snapshot() == before
    assert stored_files(isolated_media) == files_before


def test_restore_refuses_newer_data_another_schema_and_other_stored_bytes(
    town, tmp_path, isolated_media
):
    folder = make_backup(tmp_path)

    # The database has rows the backup lacks: only --yes may replace them
    PersonFactory(entity=town["entity"])
    with pytest.raises(CommandError) as err:
        restore(folder)
    assert err.value.__cause__.code == "target_not_empty"
    assert "people.person" in str(err.value)

    # The storage holds other bytes under a name of the backup: never overwritten
    attachment = RegistryAttachment.objects.order_by("pk").first()
    (isolated_media / attachment.file.name).write_bytes(PDF + b"% otro\n")
    with pytest.raises(CommandError) as err:
        restore(folder, "--yes")
    assert err.value.__cause__.code == "storage_conflict"
    assert attachment.file.name in str(err.value)

    # A backup of another migration state (its manifest says so)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["migrations"]["documents"] = "0002_document_templates"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as err:
        restore(folder, "--yes")
    assert err.value.__cause__.code == "migrations_mismatch"
    assert "documents" in str(err.value)

    # A manifest that is not the one the backup printed
    with pytest.raises(CommandError) as err:
        restore(folder, "--yes", "--manifest-sha256", "0" * 64)
    assert err.value.__cause__.code == "manifest_fingerprint_mismatch"


def test_a_restore_that_fails_while_loading_leaves_the_database_as_it_was(
    town, tmp_path, isolated_media
):
    # Given a backup with a broken row in the audit trail (its manifest hash recomputed)
    folder = make_backup(tmp_path)

    def break_last_line(data: bytes) -> bytes:
        lines = data.splitlines(keepends=True)
        return b"".join(lines[:-1]) + lines[-1][:40] + b"\n"

    rewrite(folder, "db/audit.auditentry.jsonl", break_last_line)
    before, files_before = snapshot(), stored_files(isolated_media)

    # When it is restored over the database, emptying it first
    with pytest.raises(CommandError) as err:
        restore(folder, "--yes")

    # Then the failure names the part, and the emptying and every loaded row are undone
    assert err.value.__cause__.code == "restore_load_failed"
    assert "db/audit.auditentry.jsonl" in str(err.value)
    assert snapshot() == before
    assert stored_files(isolated_media) == files_before
    call_command("audit_verify", stdout=io.StringIO())


def test_a_restore_that_fails_its_verification_leaves_nothing_behind(
    town, tmp_path, isolated_media
):
    # Given a backup where a document's recorded hash no longer matches its file
    folder = make_backup(tmp_path)
    name = Document.objects.order_by("pk").first().file.name

    def wrong_hash(data: bytes) -> bytes:
        lines = [json.loads(line) for line in data.splitlines()]
        lines[0]["fields"]["sha256"] = "0" * 64
        return b"".join(json.dumps(line).encode() + b"\n" for line in lines)

    rewrite(folder, "db/documents.document.jsonl", wrong_hash)

    # When it is restored into an empty database and storage
    empty_database_and_storage(isolated_media)
    with pytest.raises(CommandError) as err:
        restore(folder)

    # Then the verification names the document, and no row and no file stays
    assert err.value.__cause__.code == "restore_files_mismatch"
    assert "documents.document" in str(err.value) and name in str(err.value)
    assert not any(
        m._base_manager.exists()
        for m in backup_models()
        if m._meta.label_lower not in WRITTEN_BY_MIGRATE
    )
    assert stored_files(isolated_media) == {}


def test_a_backup_refuses_to_leave_out_a_file_the_database_names(town, tmp_path, isolated_media):
    # Given a stored attachment that has gone missing from the storage
    attachment = RegistryAttachment.objects.order_by("pk").first()
    (isolated_media / attachment.file.name).unlink()

    # When a backup is made, then it fails naming the file and leaves no folder behind
    with pytest.raises(CommandError) as err:
        make_backup(tmp_path)
    assert err.value.__cause__.code == "backup_files_missing"
    assert attachment.file.name in str(err.value)
    assert not (tmp_path / "copia").exists()
