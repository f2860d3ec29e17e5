"""Copies of the hall's record, made while the hall runs, and a data folder started again from one.

A copy is taken with SQLite's online backup API in one step, so it is one consistent moment of the file
(the event log and the tables agree) while the hub keeps writing; the print spool is rows of that same file.
The ticket signing key and the hall's certificates go with it: a restored hub must still accept the tickets
it printed, and devices must still trust it. Each copy is a folder `hall-YYYYMMDD-HHMMSS-<seq>`, written
under a `.partial` name and renamed when whole, so a copy cut off by a pulled USB stick is never taken for one.
"""
import hashlib
import json
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from .rules import records
from .store import Store

DB = "hall.db"
KEY = "ticket-signing-key.pem"
TLS = "tls"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A copy that cannot be made or used: the message says why and what to do."""


def make(data_dir: Path | str, folder: Path | str, *, now: datetime, keep: int | None = None) -> Path:
    """Copy the hall's record from `data_dir` into a new folder under `folder`; returns that folder.

    Keeps the newest `keep` copies (all when None). Raises BackupError when the copy fails its check."""
    data_dir, folder = Path(data_dir), Path(folder)
    source = data_dir / DB
    if not source.exists():
        raise BackupError(f"{source} is not there: nothing to back up")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"hall-{now:%Y%m%d-%H%M%S}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        seq = _copy_database(source, partial / DB)
        for name in (KEY, TLS):
            if (data_dir / name).exists():
                _copy(data_dir / name, partial / name)
        (partial / MANIFEST).write_text(json.dumps({
            "made_at": now.isoformat(timespec="seconds"), "seq": seq, "from": str(data_dir.resolve()),
            "sha256": {DB: _digest(partial / DB)}}, indent=1), encoding="utf-8")
        _sync(partial)
        done = folder / f"hall-{now:%Y%m%d-%H%M%S}-{seq}"
        shutil.rmtree(done, ignore_errors=True)
        partial.rename(done)
        _sync(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep:
        for old in copies(folder)[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
    return done


def copies(folder: Path | str) -> list[Path]:
    """The whole copies in `folder`, oldest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("hall-*") if p.is_dir() and not p.name.endswith(".partial")
                  and (p / MANIFEST).exists())


def check(copy: Path | str) -> dict:
    """The copy's manifest, after checking that its file is the one written and passes integrity_check."""
    copy = Path(copy)
    try:
        manifest = json.loads((copy / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BackupError(f"{copy} is not a hall backup ({err})") from None
    if _digest(copy / DB) != manifest["sha256"][DB]:
        raise BackupError(f"{copy / DB} has changed since it was copied: use another copy")
    problems = integrity(copy / DB)
    if problems:
        raise BackupError(f"{copy / DB} fails SQLite's integrity check ({problems[0]}): use another copy")
    return manifest


def restore(source: Path | str, data_dir: Path | str, *, replace: bool = False) -> dict:
    """Start `data_dir` from a copy: `source` is one copy, or a backup folder (its newest copy is taken).

    Refuses a data folder that holds a record unless `replace`; the record it held is moved aside, not lost."""
    source, data_dir = Path(source), Path(data_dir)
    if not (source / MANIFEST).exists():
        found = copies(source)
        if not found:
            raise BackupError(f"no hall backup in {source}")
        source = found[-1]
    manifest = check(source)
    if (data_dir / DB).exists():
        if not replace:
            raise BackupError(f"{data_dir} already holds a hall record; stop the hub, and add --replace to put "
                              f"it aside and start from {source.name}")
        aside = data_dir.with_name(f"{data_dir.name}-before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        data_dir.rename(aside)
        manifest["put_aside"] = str(aside)
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in (DB, KEY, TLS):
        if (source / name).exists():
            _copy(source / name, data_dir / name)
    # A new identity: the devices must see that this hub went back, and offer again what they kept.
    store = Store(data_dir / DB)
    try:
        manifest["record"], _ = store.run(records.renew, now=datetime.now())
    finally:
        store.close()
    _sync(data_dir)
    manifest["copy"] = str(source)
    return manifest


def integrity(path: Path) -> list[str]:
    """What PRAGMA integrity_check finds wrong with a file (nothing: an empty list)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def _copy_database(source: Path, target: Path) -> int:
    """One backup step over the whole file: a single read transaction, so one consistent moment, while the
    hub's writer goes on (WAL). Returns the copy's newest event seq."""
    reading = sqlite3.connect(str(source), timeout=30)
    writing = sqlite3.connect(str(target))
    try:
        reading.execute("PRAGMA busy_timeout=30000")
        reading.backup(writing, pages=-1)
        writing.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        seq = writing.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
    finally:
        writing.close()
        reading.close()
    problems = integrity(target)
    if problems:
        raise BackupError(f"the copy fails SQLite's integrity check ({problems[0]})")
    return seq


def _copy(source: Path, target: Path) -> None:
    """A file or folder, keeping its modes: the keys stay readable by the hub alone."""
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        shutil.copy2(source, target)


def _digest(path: Path) -> str:
    hashed = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hashed.update(block)
    return hashed.hexdigest()


def _sync(folder: Path) -> None:
    """Everything in `folder` on the disk before the copy is called whole: a USB stick may be pulled."""
    for path in [*folder.rglob("*"), folder]:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
