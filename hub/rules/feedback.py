"""Visitors' one-tap ratings of the products and the hall, for the organisers."""
from . import idempotency
from ..events import Event

CONTEXTS = ("order", "attract", "demo")
MAX_COMMENT = 300


def record(db, request: dict, *, device: str, now):
    """Keep one rating; a kiosk that retries after a dropped link records it once."""
    earlier = idempotency.recall(db, "feedback", request["feedback_id"], request)
    if earlier is not None:
        return earlier, []
    at = now.isoformat(timespec="milliseconds")
    db.execute("INSERT INTO feedback (feedback_id, device, rating, comment, context, lang, at)"
               " VALUES (?, ?, ?, ?, ?, ?, ?)",
               [request["feedback_id"], device, request["rating"], request["comment"], request["context"],
                request["lang"], at])
    result = {"feedback_id": request["feedback_id"]}
    idempotency.remember(db, "feedback", request["feedback_id"], request, result, now)
    received = Event("feedback.received", {**request, "device": device, "at": at})
    return result, [received]


FIELDS = ("feedback_id", "device", "rating", "comment", "context", "lang", "at")


def newest(db, limit: int = 500) -> list[dict]:
    rows = db.execute(f"SELECT {', '.join(FIELDS)} FROM feedback ORDER BY at DESC LIMIT ?", [limit]).fetchall()
    return [dict(zip(FIELDS, row)) for row in rows]


def daily_average(db) -> list[dict]:
    rows = db.execute("SELECT substr(at, 1, 10) AS day, count(*), round(avg(rating), 2) FROM feedback"
                      " GROUP BY day ORDER BY day").fetchall()
    return [{"day": day, "count": count, "average": average} for day, count, average in rows]
