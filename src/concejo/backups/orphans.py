"""Stored files that no row names, and their removal (ADR 0035).

A service writes its files before its rows and removes them again when the rows
do not commit (`registry.attachments.StoredFiles`, `service_on_failure`). A
worker killed between the two (out of memory, `kill -9`, the machine going
down) cannot remove anything: its files stay in the storage, named by no row,
and a backup would carry them for ever. They are found here by asking every
file column of every model whether it names them, and removed with an audit
row that keeps each one's name, size and SHA-256.

Only files older than the grace period (24 hours by default) count: a file
younger than that may belong to a transaction still running (a restore, a
slow upload). Only files modified within the look-back window (7 days) are
looked at, so that a nightly run reads the last days, not the whole archive;
`--dias` widens it for a first run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from concejo.audit.services import audit_record
from concejo.core.actors import Actor
from concejo.core.errors import ValidationFailed

GRACE = dt.timedelta(hours=24)
LOOKBACK = dt.timedelta(days=7)
# Names asked of the database at once, and names listed in one audit row.
BATCH = 500


def _batches(items, size: int) -> Iterator[list]:
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


@dataclass(frozen=True)
class Orphan:
    name: str
    size: int
    modified: dt.datetime
    sha256: str


def storage_names(storage, folder: str = "") -> Iterator[str]:
    """Every file in `storage` (under `folder`), folders in name order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for sub in sorted(folders):
        yield from storage_names(storage, prefix + sub)


def file_columns() -> list[tuple[type[models.Model], str]]:
    """(model, column) for every file field of every installed model."""
    return [
        (model, field.attname)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField)
    ]


def _unnamed(names: set[str]) -> set[str]:
    for model, column in file_columns():
        if not names:
            break
        names = names - set(
            model._base_manager.filter(**{f"{column}__in": names}).values_list(column, flat=True)
        )
    return names


def orphan_names(
    *, now: dt.datetime | None = None, grace=GRACE, lookback=LOOKBACK, storage=default_storage
) -> Iterator[str]:
    """Files modified between `now - grace - lookback` and `now - grace` that no row names."""
    if grace < dt.timedelta(hours=1):
        raise ValidationFailed(
            _("El margen es de una hora al menos: un fichero más reciente puede ser de una "
              "operación que aún no ha terminado."),
            code="grace_too_short",
        )  # fmt: skip
    until = (now or timezone.now()) - grace
    since = until - lookback

    def candidates() -> Iterator[str]:
        for name in storage_names(storage):
            if since <= storage.get_modified_time(name) < until:
                yield name

    for batch in _batches(candidates(), BATCH):
        yield from sorted(_unnamed(set(batch)))


def _described(storage, name: str) -> Orphan:
    digest = hashlib.sha256()
    size = 0
    with storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return Orphan(name, size, storage.get_modified_time(name), digest.hexdigest())


def orphan_files_remove(
    *, now: dt.datetime | None = None, grace=GRACE, lookback=LOOKBACK, dry_run: bool = False,
    storage=default_storage,
) -> list[Orphan]:  # fmt: skip
    """Remove the orphans `orphan_names` finds; each batch is recorded before it goes.

    The audit row (action `storage.orphans_removed`, in the platform's chain)
    names every file with its size, time and SHA-256, and is written before the
    files are deleted: a run stopped half-way leaves files that the next run
    finds again, never a file gone without its row. `dry_run` lists them only.
    """
    found: list[Orphan] = []
    for batch in _batches(
        orphan_names(now=now, grace=grace, lookback=lookback, storage=storage), BATCH
    ):
        orphans = [_described(storage, name) for name in batch]
        found.extend(orphans)
        if dry_run:
            continue
        audit_record(
            actor=Actor.system(),
            action="storage.orphans_removed",
            details={
                "files": [
                    {"name": o.name, "size": o.size, "modified": o.modified.isoformat(),
                     "sha256": o.sha256}
                    for o in orphans
                ],
                "grace_hours": grace / dt.timedelta(hours=1),
            },
        )  # fmt: skip
        for orphan in orphans:
            storage.delete(orphan.name)
    return found
