"""Times a device claims that the hub cannot know itself: when an offline sale was rung up, when a door
admitted a ticket while cut off, when a shift was opened before the link came back.

The hub believes such a time only within bounds: no later than its own clock plus a small skew (a tablet's
clock runs a little fast), and no older than the longest outage the hall plans for. What it does with a claim
out of bounds depends on what the claim is for: an admission is refused (a ticket for a session an hour away
must not be let in on a clock set forward), while a sale, whose money was already taken, is recorded at the
hub's own time and flagged for staff, never dropped.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..errors import invalid
from ..events import Event

FUTURE = "future"
TOO_OLD = "too_old"


@dataclass(frozen=True)
class TimeBounds:
    skew: timedelta            # how far ahead of the hub a device's clock may run
    longest_outage: timedelta  # how old work done offline may be


# hall.toml's [trust] defaults: two minutes of clock skew, a hall day's worth of outage.
DEFAULT_BOUNDS = TimeBounds(skew=timedelta(minutes=2), longest_outage=timedelta(hours=12))


def doubt(claimed: str | None, now: datetime, bounds: TimeBounds) -> str | None:
    """Why a claimed time is not believed (FUTURE or TOO_OLD), or None when it is (or nothing was claimed)."""
    if claimed is None:
        return None
    at = datetime.fromisoformat(claimed)
    if at > now + bounds.skew:
        return FUTURE
    if at < now - bounds.longest_outage:
        return TOO_OLD
    return None


def believed_or_refused(claimed: str | None, now: datetime, bounds: TimeBounds, *, field: str) -> datetime:
    """The claimed time if it is believable, the hub's own if none was claimed; refuses one out of bounds."""
    reason = doubt(claimed, now, bounds)
    if reason == FUTURE:
        raise invalid(f"{field} is later than the hub's clock allows", field=field, reason=reason,
                      hub_time=now.isoformat(timespec="seconds"))
    if reason == TOO_OLD:
        raise invalid(f"{field} is older than the longest outage the hall allows", field=field, reason=reason,
                      hub_time=now.isoformat(timespec="seconds"))
    return datetime.fromisoformat(claimed) if claimed else now


def recorded(claimed: str | None, now: datetime, bounds: TimeBounds, *, device: str, what: str,
             ref: str) -> tuple[str, list[Event]]:
    """The time to record for work already done (ISO text), and the event that flags a claim not believed."""
    reason = doubt(claimed, now, bounds)
    hub_time = now.isoformat(timespec="milliseconds")
    if claimed is None:
        return hub_time, []
    if reason is None:
        return claimed, []
    flagged = Event("claim.doubted", {"device": device, "what": what, "ref": ref, "claimed": claimed,
                                      "reason": reason, "recorded_at": hub_time})
    return hub_time, [flagged]
