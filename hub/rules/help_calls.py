"""A visitor at a kiosk calls staff (직원 호출): a `help` alert on the staff screen naming the kiosk and its
place in the hall, answered on the kiosk when staff acknowledge it.

One open call per kiosk: pressing again while staff are on their way answers with the same call. A kiosk
whose last call was raised under MIN_GAP_SECONDS ago is refused with `call_too_soon`, so a button pressed
over and over, or a visitor playing with it, cannot bury the staff screen in alerts.
"""
from datetime import datetime

from . import alerts, idempotency
from ..errors import HallError

MIN_GAP_SECONDS = 60
LANGS = ("ko", "en")


def place_of(plan: dict | None, device: str) -> dict | None:
    """Where the hall plan puts a kiosk: {"name", "name_en"}, or None when it is not on the plan."""
    for place in (plan or {}).get("places", []):
        if place.get("kind") == "kiosk" and place.get("device") == device:
            return {"name": place["name"], "name_en": place.get("name_en") or place["name"]}
    return None


def call(db, request: dict, *, device: str, place: dict | None, now, min_gap: int = MIN_GAP_SECONDS):
    """Raise a `help` alert for `device`, once per call_id; while one is open, answer with it.

    Returns ({"alert_id", "status": "raised" | "waiting", "raised_at"}, events).
    """
    earlier = idempotency.recall(db, "call_staff", request["call_id"], request)
    if earlier is not None:
        return earlier, []
    last = db.execute("SELECT alert_id, raised_at, acked_at FROM alerts WHERE kind = 'help' AND subject = ?"
                      " ORDER BY alert_id DESC LIMIT 1", [device]).fetchone()
    if last is not None and last[2] is None:
        result, events = {"alert_id": last[0], "status": "waiting", "raised_at": last[1]}, []
    else:
        if last is not None:
            waited = (now - datetime.fromisoformat(last[1])).total_seconds()
            if waited < min_gap:
                raise HallError("call_too_soon", f"{device} called staff {int(waited)} s ago",
                                retry_after=max(1, int(min_gap - waited + 0.999)))
        where = place["name"] if place else device
        data = {"device": device, "place": place, "lang": request["lang"]}
        raised, events = alerts.raise_alert(db, "help", device, f"a visitor at {device} ({where}) asks for help",
                                            data, now=now)
        alert = raised["alert"]
        result = {"alert_id": alert["alert_id"], "status": "raised", "raised_at": alert["raised_at"]}
    idempotency.remember(db, "call_staff", request["call_id"], request, result, now)
    return result, events
