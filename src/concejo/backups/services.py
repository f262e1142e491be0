"""Backups of the whole platform and their restore (`concejo backup`, `concejo restore`).

A backup is a directory (ADR 0021):

    manifest.json              format, creation time, platform version, database vendor,
                               migration state and every part with its SHA-256 and size
    db/<app>.<model>.jsonl     one file per model, one row per line, parents first
    files/<storage name>       every file of the default storage, byte for byte

The database part is portable: Django's serializers in JSON Lines with the
primary keys kept, written row by row from server-side iterators, so a backup
made on SQLite restores into PostgreSQL and the other way round, and no table
is ever held in memory. Sessions are left out: they are ephemeral, and
restoring them would bring old sign-ins back.

A restore checks everything it can before it changes anything (the manifest,
every part's hash, the migration state, an empty target, the storage), then
replaces the whole database in one transaction, adds the missing files to the
storage and verifies the result (every stored file against the SHA-256 in its
row, and the audit chains) before it commits. If anything fails, the
transaction rolls back and the files it added are removed again.

These are operator tools run from the command line, not services of a user:
they take no actor and write no audit row (a restore must leave the restored
chains exactly as they were).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.selectors import audit_chain_verify, audit_chains
from concejo.backups.orphans import storage_names
from concejo.core.errors import ApplicationError, Conflict, ValidationFailed
from concejo.core.hashing import canonical_json

FORMAT = "concejo-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TABLES = "db"
FILES = "files"
CHUNK_ROWS = 2000
CHUNK_BYTES = 1024 * 1024
# Ephemeral rows that are not backed up (the restore empties them too).
NOT_BACKED_UP = frozenset({"sessions.session"})
# Rows `migrate` writes by itself: a database holding only these counts as empty.
WRITTEN_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_DETAILS = 20
# Rows of one table compared with the backup's before a restore without --yes.
COMPARE_MAX_ROWS = 10_000


class BackupInvalid(ValidationFailed):
    """The backup cannot be trusted (missing, altered or not a Concejo backup); nothing changed."""

    code = "backup_invalid"


class RestoreRefused(Conflict):
    """The target is not ready for this backup; nothing changed."""

    code = "restore_refused"


class RestoreFailed(ApplicationError):
    """Loading or the final verification failed; everything was rolled back."""

    status = 500
    code = "restore_failed"


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds.

    DjangoJSONEncoder cuts them to milliseconds, and the audit chain hashes
    every row's time to the microsecond: a dump made with it would restore
    into a chain that no longer verifies.
    """

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


# --- What is backed up --------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every concrete model of every installed app (sessions aside), parents first."""
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    ]
    return _parents_first(candidates)


def _parents_first(candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    by_label = {model._meta.label_lower: model for model in candidates}
    needs = {}
    for label, model in by_label.items():
        relations = [*model._meta.concrete_fields, *model._meta.local_many_to_many]
        targets = {
            field.related_model._meta.concrete_model._meta.label_lower
            for field in relations
            if field.is_relation and field.related_model is not None
        }
        needs[label] = (targets & by_label.keys()) - {label}
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(by_label):
        pending = [label for label in by_label if label not in placed]
        ready = [label for label in pending if needs[label] <= placed]
        # A cycle (an entity names its registry unit, a unit its entity): foreign
        # keys are checked when the transaction commits, so break it anywhere.
        label = (ready or pending)[0]
        ordered.append(label)
        placed.add(label)
    return [by_label[label] for label in ordered]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _hashed_file_field(model: type[models.Model]) -> models.FileField | None:
    """The file whose SHA-256 the row records in its `sha256` column, if any."""
    fields = _file_fields(model)
    names = {f.name for f in model._meta.concrete_fields}
    return fields[0] if len(fields) == 1 and "sha256" in names else None


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (several, comma-separated, if branched)."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    state = {}
    for app_label in sorted({app for app, _name in applied}):
        latest = []
        for app, name in applied:
            if app != app_label:
                continue
            node = loader.graph.node_map.get((app, name))
            children = {child for child in node.children if child[0] == app} if node else set()
            if not children & applied:
                latest.append(name)
        state[app_label] = ",".join(sorted(latest))
    return state


def platform_version() -> str:
    try:
        return metadata.version("concejo")
    except metadata.PackageNotFoundError:
        return "desconocida"


# --- Hashing while reading and writing ----------------------------------------


class _Hashed(io.RawIOBase):
    """A binary file that hashes (SHA-256) and counts every byte read from or written to it."""

    def __init__(self, handle) -> None:
        super().__init__()
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return self._handle.readable()

    def writable(self) -> bool:
        return self._handle.writable()

    def readinto(self, buffer) -> int:
        count = self._handle.readinto(buffer)
        if count:
            self.digest.update(memoryview(buffer)[:count])
            self.size += count
        return count

    def write(self, data) -> int:
        self._handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._handle.close()
        super().close()


def _copy(source, target=None) -> tuple[str, int]:
    """Stream `source` (into `target`, if given); its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        if target is not None:
            target.write(chunk)
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _details(problems: dict[str, str]) -> dict[str, str]:
    shown = dict(list(problems.items())[:MAX_DETAILS])
    if len(problems) > MAX_DETAILS:
        shown["…"] = _("y %(n)s problema(s) más") % {"n": len(problems) - MAX_DETAILS}
    return shown


def _safe_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        bool(path)
        and "\\" not in path
        and not pure.is_absolute()
        and all(part not in ("", ".", "..") for part in path.split("/"))
    )


# --- Backup ---------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    manifest_sha256: str
    tables: int
    rows: int
    files: int
    file_bytes: int


def backup_create(*, output: Path, using: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a backup into `output`, a new or empty directory; nothing is left if it fails."""
    output = Path(output)
    if output.exists() and (not output.is_dir() or any(output.iterdir())):
        raise Conflict(
            _("%(path)s ya existe y no es una carpeta vacía: indique una carpeta nueva.")
            % {"path": output},
            code="backup_output_not_empty",
        )
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    output.chmod(0o700)  # personal data and credentials: only the owner may read it
    try:
        state, tables, referenced = _dump_database(output, using)
        files = _copy_storage(output)
        missing = referenced - {part["name"] for part in files}
        if missing:
            message = _(
                "Un registro de la base de datos nombra este fichero y no está en el almacén."
            )
            raise Conflict(
                _(
                    "Faltan en el almacén %(n)s fichero(s) que la base de datos nombra: la copia "
                    "no se podría restaurar. Recupérelos (o repita la copia si se estaban "
                    "sustituyendo) antes de copiar."
                )
                % {"n": len(missing)},
                code="backup_files_missing",
                fields=_details({name: message for name in sorted(missing)}),
            )
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "platform_version": platform_version(),
            "django_version": django.get_version(),
            "database_vendor": connections[using].vendor,
            "migrations": state,
            "parts": tables + files,
        }
        content = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        temporary = output / f"{MANIFEST}.tmp"
        temporary.write_bytes(content)
        os.replace(temporary, output / MANIFEST)  # last: without it there is no backup
    except BaseException:
        for child in output.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        if created:
            output.rmdir()
        raise
    return BackupSummary(
        path=output,
        manifest_sha256=hashlib.sha256(content).hexdigest(),
        tables=len(tables),
        rows=sum(part["rows"] for part in tables),
        files=len(files),
        file_bytes=sum(part["size"] for part in files),
    )


def _dump_database(root: Path, using: str) -> tuple[dict[str, str], list[dict], set[str]]:
    connection = connections[using]
    (root / TABLES).mkdir()
    outermost = not connection.in_atomic_block
    referenced: set[str] = set()
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Every table from one snapshot, and nothing written by this transaction.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # (SQLite: the IMMEDIATE transaction holds the write lock until the dump ends.)
        state = migration_state(using)
        tables = [_dump_model(root, model, using, referenced) for model in backup_models()]
    return state, tables, referenced


def _dump_model(root: Path, model: type[models.Model], using: str, referenced: set[str]) -> dict:
    label = model._meta.label_lower
    path = f"{TABLES}/{label}.jsonl"
    file_fields = _file_fields(model)
    rows = 0

    def counted(objects):
        nonlocal rows
        for obj in objects:
            rows += 1
            for field in file_fields:
                name = field.value_from_object(obj).name
                if name:
                    referenced.add(name)
            yield obj

    objects = model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK_ROWS)
    raw = _Hashed((root / path).open("xb"))
    with io.TextIOWrapper(
        io.BufferedWriter(raw, CHUNK_BYTES), encoding="utf-8", newline="\n"
    ) as text:
        serializers.serialize("jsonl", counted(objects), stream=text, cls=ExactJSONEncoder)
    return {
        "path": path,
        "kind": "table",
        "model": label,
        "rows": rows,
        "size": raw.size,
        "sha256": raw.digest.hexdigest(),
    }


def _copy_storage(root: Path) -> list[dict]:
    parts = []
    for name in storage_names(default_storage):
        if not _safe_relative(name):
            raise Conflict(
                _("El almacén tiene un fichero con un nombre no válido: %(name)s.")
                % {"name": name},
                code="backup_bad_file_name",
            )
        path = f"{FILES}/{name}"
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("xb") as copy:
            sha256, size = _copy(source, copy)
        parts.append({"path": path, "kind": "file", "name": name, "size": size, "sha256": sha256})
    return parts


# --- Restore --------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreSummary:
    created_at: str
    database_vendor: str
    platform_version: str
    rows: dict[str, int]
    files_copied: int
    files_present: int
    hashes_checked: int
    chains: int


def backup_restore(
    *,
    source: Path,
    replace: bool = False,
    manifest_sha256: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> RestoreSummary:
    """Replace the database and add the stored files from the backup in `source`.

    Refuses (changing nothing) a backup that is incomplete or altered, one made
    at another migration state, a database that already has data unless
    `replace`, and a storage holding other bytes under a backup file's name.
    """
    source = Path(source)
    manifest = _read_manifest(source, manifest_sha256)
    tables = [part for part in manifest["parts"] if part["kind"] == "table"]
    files = [part for part in manifest["parts"] if part["kind"] == "file"]
    _verify_parts(source, manifest["parts"])
    _check_migrations(manifest["migrations"], using)
    _check_tables(tables)
    if not replace:
        _check_empty(source, tables, using)
    present = _check_storage(files)

    written: list[str] = []
    try:
        try:
            with transaction.atomic(using=using):
                rows = _load_tables(source, tables, using)
                ContentType.objects.clear_cache()
                copied = _restore_files(source, files, present, written)
                checked = _verify_files(files, using)
                chains = _verify_audit()
        except DatabaseError as exc:  # at commit, or anything not reported more precisely
            raise RestoreFailed(
                _("La base de datos ha rechazado la restauración: %(error)s") % {"error": exc},
                code="restore_database_error",
            ) from exc
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    finally:
        ContentType.objects.clear_cache()
    return RestoreSummary(
        created_at=manifest["created_at"],
        database_vendor=manifest["database_vendor"],
        platform_version=manifest["platform_version"],
        rows=rows,
        files_copied=copied,
        files_present=len(present),
        hashes_checked=checked,
        chains=chains,
    )


def _read_manifest(source: Path, expected_sha256: str) -> dict[str, Any]:
    if not source.is_dir():
        raise BackupInvalid(
            _("No existe la carpeta %(path)s.") % {"path": source}, code="backup_not_found"
        )
    try:
        content = (source / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise BackupInvalid(
            _("%(path)s no es una copia completa: le falta %(manifest)s.")
            % {"path": source, "manifest": MANIFEST},
            code="manifest_missing",
        ) from None
    if expected_sha256 and hashlib.sha256(content).hexdigest() != expected_sha256.strip().lower():
        raise BackupInvalid(
            _("La huella SHA-256 del manifiesto no es la indicada: la copia no es la que se hizo."),
            code="manifest_fingerprint_mismatch",
        )
    try:
        manifest = json.loads(content)
    except ValueError:
        manifest = None
    problem = _manifest_problem(manifest)
    if problem:
        raise BackupInvalid(
            _("El manifiesto de la copia no es válido: %(problem)s.") % {"problem": problem},
            code="manifest_invalid",
        )
    return manifest


def _manifest_problem(manifest: Any) -> str:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return _("no es una copia de seguridad de Concejo")
    if manifest.get("format_version") != FORMAT_VERSION:
        return _("versión de formato %(v)s no admitida") % {"v": manifest.get("format_version")}
    for key in ("created_at", "platform_version", "database_vendor"):
        if not isinstance(manifest.get(key), str):
            return _("falta «%(key)s»") % {"key": key}
    state = manifest.get("migrations")
    if not isinstance(state, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in state.items()
    ):
        return _("el estado de las migraciones no es válido")
    parts = manifest.get("parts")
    if not isinstance(parts, list):
        return _("falta la lista de partes")
    seen = set()
    for index, part in enumerate(parts):
        if not isinstance(part, dict):
            return _("la parte %(i)s no es válida") % {"i": index}
        path = part.get("path")
        kind = part.get("kind")
        valid = (
            isinstance(path, str)
            and _safe_relative(path)
            and path not in seen
            and isinstance(part.get("size"), int)
            and part["size"] >= 0
            and isinstance(part.get("sha256"), str)
            and SHA256.fullmatch(part["sha256"])
        )
        if valid and kind == "table":
            valid = (
                isinstance(part.get("model"), str)
                and path == f"{TABLES}/{part['model']}.jsonl"
                and isinstance(part.get("rows"), int)
            )
        elif valid and kind == "file":
            valid = isinstance(part.get("name"), str) and path == f"{FILES}/{part['name']}"
        else:
            valid = False
        if not valid:
            return _("la parte %(i)s (%(path)s) no es válida") % {"i": index, "path": path}
        seen.add(path)
    return ""


def _verify_parts(source: Path, parts: list[dict]) -> None:
    """Every part is there with the size and SHA-256 the manifest records."""
    problems = {}
    missing = False
    for part in parts:
        try:
            with (source / part["path"]).open("rb") as handle:
                sha256, size = _copy(handle)
        except (FileNotFoundError, IsADirectoryError):
            problems[part["path"]] = _("falta en la copia")
            missing = True
            continue
        if size != part["size"]:
            problems[part["path"]] = _("mide %(size)s bytes y el manifiesto dice %(expected)s") % {
                "size": size,
                "expected": part["size"],
            }
        elif sha256 != part["sha256"]:
            problems[part["path"]] = _("su huella SHA-256 no coincide con la del manifiesto")
    if problems:
        raise BackupInvalid(
            _("La copia está incompleta o alterada en %(n)s parte(s); no se ha restaurado nada.")
            % {"n": len(problems)},
            code="part_missing" if missing else "part_mismatch",
            fields=_details(problems),
        )


def _check_migrations(recorded: dict[str, str], using: str) -> None:
    current = migration_state(using)
    if recorded == current:
        return
    none = _("ninguna")
    differences = {
        app: _("la copia tiene %(backup)s; esta base de datos, %(target)s")
        % {"backup": recorded.get(app) or none, "target": current.get(app) or none}
        for app in sorted(recorded.keys() | current.keys())
        if recorded.get(app) != current.get(app)
    }
    raise RestoreRefused(
        _(
            "Las migraciones aplicadas en esta base de datos no son las de la copia. Restaure "
            "con la misma versión de Concejo que hizo la copia, sobre una base de datos migrada "
            "con «concejo migrate», y actualice después."
        ),
        code="migrations_mismatch",
        fields=_details(differences),
    )


def _check_tables(tables: list[dict]) -> None:
    expected = {model._meta.label_lower for model in backup_models()}
    listed = {part["model"] for part in tables}
    problems = {label: _("no existe en esta instalación") for label in sorted(listed - expected)}
    problems.update({label: _("falta en la copia") for label in sorted(expected - listed)})
    if problems:
        raise BackupInvalid(
            _("Los modelos de la copia no son los de esta instalación; no se ha restaurado nada."),
            code="manifest_models_mismatch",
            fields=_details(problems),
        )


def _check_empty(source: Path, tables: list[dict], using: str) -> None:
    """Refuse to replace rows that the backup does not hold too.

    Content types and permissions aside (`migrate` writes them with ids of its
    own), a table may already have rows only if the backup has each of them
    with the same values, leaving aside the id and the automatic creation and
    modification times: the rows data migrations write in a freshly migrated
    database (a fresh id and time each run), or a database restored from this
    backup before.
    """
    parts = {part["model"]: part for part in tables}
    populated = []
    for model in backup_models():
        label = model._meta.label_lower
        if label in WRITTEN_BY_MIGRATE:
            continue
        rows = model._base_manager.using(using).order_by("pk")
        count = rows[: COMPARE_MAX_ROWS + 1].count()
        if count and (
            count > min(parts[label]["rows"], COMPARE_MAX_ROWS)
            or not _rows_in_backup(source / parts[label]["path"], rows)
        ):
            populated.append(label)
    if populated:
        raise RestoreRefused(
            _(
                "La base de datos de destino tiene datos que la copia no tiene (%(models)s). "
                "Restaure en una base de datos recién migrada o, para vaciarla antes y perder "
                "lo que tiene, añada --yes."
            )
            % {"models": ", ".join(populated[:5]) + (", …" if len(populated) > 5 else "")},
            code="target_not_empty",
        )


def _row_key(row: dict, volatile: set[str]) -> bytes:
    values = {name: value for name, value in row["fields"].items() if name not in volatile}
    return hashlib.sha256(canonical_json(values)).digest()


def _rows_in_backup(path: Path, rows: models.QuerySet) -> bool:
    """Whether each row of `rows` (at most COMPARE_MAX_ROWS) is in the backup's part."""
    volatile = {
        field.name
        for field in rows.model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    dumped = serializers.serialize("python", rows.iterator(chunk_size=CHUNK_ROWS))
    wanted = {
        _row_key(json.loads(json.dumps(row, cls=ExactJSONEncoder)), volatile) for row in dumped
    }
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                wanted.discard(_row_key(json.loads(line), volatile))
            if not wanted:
                return True
    return not wanted


def _check_storage(files: list[dict]) -> set[str]:
    """Names the storage already holds with the backup's bytes; other bytes are refused."""
    present, conflicts = set(), {}
    for part in files:
        name = part["name"]
        if not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as handle:
            sha256, _size = _copy(handle)
        if sha256 == part["sha256"]:
            present.add(name)
        else:
            conflicts[name] = _("el almacén ya tiene otro contenido con este nombre")
    if conflicts:
        raise RestoreRefused(
            _(
                "El almacén de ficheros ya tiene %(n)s fichero(s) con el nombre de uno de la copia "
                "y otro contenido. Apártelos (o restaure en un almacén vacío) y repita."
            )
            % {"n": len(conflicts)},
            code="storage_conflict",
            fields=_details(conflicts),
        )
    return present


def _load_tables(source: Path, tables: list[dict], using: str) -> dict[str, int]:
    """Empty every table, then load each part; all inside the caller's transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in sql_flush(no_style(), connection, reset_sequences=True):
            cursor.execute(statement)
    rows = {}
    for part in tables:
        rows[part["model"]] = _load_part(source, part, using)
    try:
        connection.check_constraints()
    except DatabaseError as exc:
        raise RestoreFailed(
            _("Los datos cargados no son coherentes entre sí: %(error)s") % {"error": exc},
            code="restore_integrity_error",
        ) from exc
    loaded = [apps.get_model(part["model"]) for part in tables]
    with connection.cursor() as cursor:  # PostgreSQL: sequences continue after the loaded ids
        for statement in connection.ops.sequence_reset_sql(no_style(), loaded):
            cursor.execute(statement)
    return rows


def _load_part(source: Path, part: dict, using: str) -> int:
    model = apps.get_model(part["model"])
    count = 0
    try:
        raw = _Hashed((source / part["path"]).open("rb"))
        with io.TextIOWrapper(
            io.BufferedReader(raw, CHUNK_BYTES), encoding="utf-8", newline="\n"
        ) as text:
            for item in serializers.deserialize("jsonl", text, using=using):
                if type(item.object) is not model:
                    raise ValueError(
                        _("la fila es de otro modelo (%(m)s)")
                        % {"m": item.object._meta.label_lower}
                    )
                item.save(using=using, force_insert=True)
                count += 1
            text.read()
    except ApplicationError:
        raise
    except Exception as exc:
        detail = str(exc) or str(exc.__cause__ or "") or type(exc).__name__
        raise RestoreFailed(
            _("No se ha podido cargar la fila %(row)s de %(path)s; no se ha restaurado nada.")
            % {"path": part["path"], "row": count + 1},
            code="restore_load_failed",
            fields={part["path"]: detail},
        ) from exc
    # The bytes loaded are the bytes verified before the transaction started.
    if raw.digest.hexdigest() != part["sha256"] or count != part["rows"]:
        raise RestoreFailed(
            _(
                "%(path)s ha cambiado durante la restauración o no tiene las %(rows)s filas "
                "del manifiesto."
            )
            % {"path": part["path"], "rows": part["rows"]},
            code="restore_part_changed",
        )
    return count


def _restore_files(source: Path, files: list[dict], present: set[str], written: list[str]) -> int:
    copied = 0
    for part in files:
        name = part["name"]
        if name in present:
            continue
        with (source / part["path"]).open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        written.append(saved)
        if saved != name:
            raise RestoreFailed(
                _("El almacén ha guardado %(name)s con otro nombre (%(saved)s).")
                % {"name": name, "saved": saved},
                code="restore_storage_renamed",
            )
        copied += 1
    return copied


def _verify_files(files: list[dict], using: str) -> int:
    """What the storage now holds: the backup's bytes, and the SHA-256 each row records."""
    problems = {}
    stored = {}
    for part in files:
        name = part["name"]
        try:
            with default_storage.open(name, "rb") as handle:
                stored[name], _size = _copy(handle)
        except FileNotFoundError:
            problems[name] = _("no está en el almacén")
            continue
        if stored[name] != part["sha256"]:
            problems[name] = _("el almacén no guarda los bytes de la copia")
    checked = 0
    for model in backup_models():
        file_fields = _file_fields(model)
        if not file_fields:
            continue
        hashed = _hashed_file_field(model)
        columns = ["pk", *(f.attname for f in file_fields), *(["sha256"] if hashed else [])]
        values = model._base_manager.using(using).order_by("pk").values_list(*columns)
        for row in values.iterator(chunk_size=CHUNK_ROWS):
            pk, names = row[0], row[1 : 1 + len(file_fields)]
            for field, name in zip(file_fields, names, strict=True):
                if not name:
                    continue
                where = f"{model._meta.label_lower} {pk}"
                if name not in stored:
                    problems[where] = _("falta el fichero %(name)s") % {"name": name}
                elif field is hashed and stored[name] != row[-1]:
                    problems[where] = _(
                        "la huella SHA-256 de %(name)s no coincide con la de la base de datos"
                    ) % {"name": name}
                elif field is hashed:
                    checked += 1
    if problems:
        raise RestoreFailed(
            _(
                "Los ficheros restaurados no coinciden con la base de datos (%(n)s problema(s)); "
                "no se ha restaurado nada."
            )
            % {"n": len(problems)},
            code="restore_files_mismatch",
            fields=_details(problems),
        )
    return checked


def _verify_audit() -> int:
    chains = list(audit_chains())
    problems = {}
    for chain in chains:
        broken = audit_chain_verify(chain=chain)
        if broken is not None:
            problems[chain] = _("rota en la entrada %(seq)s: %(reason)s") % {
                "seq": broken.seq,
                "reason": broken.reason,
            }
    if problems:
        raise RestoreFailed(
            _("Las cadenas de auditoría restauradas no se verifican; no se ha restaurado nada."),
            code="audit_chain_broken",
            fields=_details(problems),
        )
    return len(chains)
