"""Full backups (database rows and uploaded files) and restores, vendor-neutral.

A backup is one .tar.gz: `manifest.json` (format, row counts per model, every file's SHA-256), `data.jsonl`
(every row, one JSON object per line, read a chunk at a time, datetimes to the microsecond) and `media/`.
A restore goes into an empty, migrated database and refuses to touch one that holds a ledger: nothing is
ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model

from taizhang.core.errors import DomainError

FORMAT = "taizhang-backup/2"
# Rows that are not the organisation's data: caches of the framework, sessions, throttling counters.
SKIPPED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_db.dbtaskresult",
}

type Progress = Callable[[str], None]


def _models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in SKIPPED and not model._meta.proxy and model._meta.managed
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in _models()}


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; the event chain hashes microseconds, so keep them."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _ordered_models() -> list[type[Model]]:
    """Models in an order where what a row refers to by natural key comes before it (as dumpdata does)."""
    by_app: dict[Any, list[type[Model]]] = {}
    for model in _models():
        by_app.setdefault(model._meta.app_config, []).append(model)
    return sort_dependencies(list(by_app.items()), allow_cycles=True)


def _write_rows(handle: Any, *, chunk: int = 2000) -> None:
    """One JSON object per line, read in primary-key order a chunk at a time (bounded memory)."""
    for model in _ordered_models():
        manager = model._base_manager
        last: Any = None
        while True:
            rows = manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            batch = list(rows[:chunk])
            if not batch:
                break
            for item in serializers.serialize("python", batch, use_natural_foreign_keys=True):
                handle.write(json.dumps(item, cls=_ExactEncoder, ensure_ascii=False) + "\n")
            last = batch[-1].pk


def backup(target: Path, *, progress: Progress = lambda _text: None) -> dict[str, Any]:
    """Write the backup; returns its manifest."""
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data.jsonl"
        progress("rows …")
        with transaction.atomic():  # one consistent snapshot of all the rows
            counts = row_counts()
            with data.open("w", encoding="utf-8") as handle:
                _write_rows(handle)
        files = {str(path.relative_to(root)): _sha256(path) for path in _media_files()}
        progress(f"{sum(counts.values())} rows, {len(files)} files")
        manifest = {"format": FORMAT, "counts": counts, "files": files}
        target.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(target, "w:gz") as archive:
            encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(encoded)
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(data, arcname="data.jsonl")
            for name in files:
                archive.add(root / name, arcname=f"media/{name}")
    return manifest


@dataclass(frozen=True)
class Restored:
    rows: int
    files: int


def _refuse_unless_empty() -> None:
    occupied = {label: count for label, count in row_counts().items() if count}
    if occupied:
        raise DomainError(
            f"The database is not empty ({', '.join(sorted(occupied)[:5])} …): a restore never "
            "overwrites data. Restore into a new database (migrated, nothing else).",
            code="not_empty",
        )


def restore(source: Path, *, progress: Progress = lambda _text: None) -> Restored:
    _refuse_unless_empty()
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive, tempfile.TemporaryDirectory() as scratch:
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]  # present
        if manifest.get("format") != FORMAT:
            raise DomainError(f"Not a taizhang backup ({manifest.get('format')!r}).", code="bad_format")
        archive.extractall(scratch, filter="data")  # the "data" filter refuses paths outside the folder
        progress("rows …")
        with transaction.atomic():
            with (Path(scratch) / "data.jsonl").open(encoding="utf-8") as handle:
                for line in handle:
                    for item in serializers.deserialize("python", [json.loads(line)]):
                        item.save()
            found = row_counts()
            wrong = {
                label: (count, found.get(label))
                for label, count in manifest["counts"].items()
                if found.get(label) != count
            }
            if wrong:
                raise DomainError(
                    f"The restored rows do not match the backup: {wrong}", code="count_mismatch"
                )
        _reset_sequences()
        progress(f"files ({len(manifest['files'])}) …")
        for name, digest in manifest["files"].items():
            extracted = Path(scratch) / "media" / name
            if _sha256(extracted) != digest:
                raise DomainError(f"The file {name} in the backup is damaged.", code="file_damaged")
            destination = root / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(extracted.read_bytes())
    return Restored(rows=sum(manifest["counts"].values()), files=len(manifest["files"]))


def _reset_sequences() -> None:
    """After inserting rows with their ids, PostgreSQL's sequences must continue after the highest id."""
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
