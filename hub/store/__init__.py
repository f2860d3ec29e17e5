"""The hall's record: one SQLite file, its migrations, the event log and the one thread that writes it.

Nothing here knows the hall's rules: a change comes in as a function of the database, and its events
go out in the same transaction.
"""
from .database import Store

__all__ = ["Store"]
