"""The rehearsal's scenario file (config/rehearsal.toml): the day's visitors, the hall, the faults."""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FAULT_KINDS = ("tills_cut", "paper_out", "slow_disk", "hold_flood", "scanner_offline", "hub_kill")


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass
class Fault:
    kind: str
    at: int            # minute of the day it starts
    lasts: int         # day minutes
    options: dict = field(default_factory=dict)


@dataclass
class Scenario:
    opens: int
    closes: int
    minutes: float
    load: float
    visitors: dict[int, int]      # hour's first minute -> visitors in that hour
    behaviour: dict[str, float]
    hall: dict
    faults: list[Fault]

    @property
    def day_minutes(self) -> int:
        return self.closes - self.opens

    def visitors_at(self, minute: float) -> int:
        """Visitors in the hour that holds this minute of the day."""
        hour = int(minute // 60) * 60
        return self.visitors.get(hour, 0)

    def peak_hour(self) -> int:
        return max(self.visitors, key=self.visitors.get)


def load(path: Path) -> Scenario:
    """Read and check a scenario; a mistake names the setting."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    day = raw["day"]
    opens, closes = _minute(day["opens"]), _minute(day["closes"])
    if closes <= opens:
        raise ValueError(f"{path}: [day] closes must be after opens")
    faults = []
    for number, entry in enumerate(raw.get("faults", [])):
        entry = dict(entry)
        kind = entry.pop("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"{path}: [[faults]] #{number + 1}: kind {kind!r} is not one of {', '.join(FAULT_KINDS)}")
        at = _minute(entry.pop("at"))
        if not opens <= at < closes:
            raise ValueError(f"{path}: [[faults]] #{number + 1}: at must be within the day")
        faults.append(Fault(kind, at, int(entry.pop("for")), entry))
    return Scenario(opens=opens, closes=closes, minutes=float(day.get("minutes", 10)), load=float(day.get("load", 1.0)),
                    visitors={_minute(hour): int(count) for hour, count in raw["visitors"].items()},
                    behaviour={k: float(v) for k, v in raw["behaviour"].items()}, hall=dict(raw["hall"]),
                    faults=sorted(faults, key=lambda f: f.at))
