"""Which copy of the hall's record this is, so a device can tell when the hub it reaches has gone back.

A till keeps the day's acknowledged sales; a hub started from a backup (or from an empty data folder) no
longer has the ones made after that copy. The record's identity is made at first start and made anew by
every restore, and `sync` carries it: a device that sees it change offers again what it kept, and the hub
takes each sale once (sale_id).
"""
import uuid

NAME = "record"


def identity(db, *, now):
    """This record's identity, made on first start."""
    db.execute("INSERT OR IGNORE INTO hall_facts (name, value) VALUES (?, ?)", [NAME, str(uuid.uuid4())])
    return db.execute("SELECT value FROM hall_facts WHERE name = ?", [NAME]).fetchone()[0], []


def renew(db, *, now):
    """A new identity, for a record started again from a copy: devices must not take it for the one they knew."""
    value = str(uuid.uuid4())
    db.execute("INSERT OR REPLACE INTO hall_facts (name, value) VALUES (?, ?)", [NAME, value])
    return value, []


def known(db) -> str | None:
    """This record's identity as the writer made it; read-only, for the processes that do not own the file."""
    row = db.execute("SELECT value FROM hall_facts WHERE name = ?", [NAME]).fetchone()
    return row[0] if row else None
