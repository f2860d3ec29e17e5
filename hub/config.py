"""Hall settings: built-in defaults, then config/hall.toml, then the caller's overrides."""
import copy
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .rules.claims import TimeBounds
from .rules.fair_share import KioskLimits
from . import config_check
from .config_check import ConfigError  # noqa: F401  (callers catch it from here)

DEFAULTS = {
    "hall": {"name": "Expo Sales Hall", "name_en": "Expo Sales Hall", "business_no": "000-00-00000",
             "representative": "", "address": "", "phone": "", "receipt_footer": "",
             "timezone": "Asia/Seoul"},
    "sales": {"tax_rate_percent": 10, "hold_minutes": 15, "low_stock_threshold": 5,
              "refund_approval_over": 50_000},
    "cashiers": [],
    "catalog": {"file": "catalog.csv"},
    "hall_plan": {"file": "hall-plan.json"},
    "demos": {"file": "demos.csv", "max_party": 4, "early_minutes": 30, "release_minutes": 10},
    # first_day: the show's day 1, which the demo program's day numbers count from; left out, the day the
    # hall is first started (remembered in its database).
    "show": {},
    "kiosk": {"idle_seconds": 90, "idle_warning_seconds": 20, "max_qty_per_line": 10, "max_open_orders": 8,
              "max_places_per_slot": 6},
    "terminals": {"silent_minutes": 2},
    "trust": {"clock_skew_seconds": 120, "longest_outage_hours": 12, "unauthenticated_seconds": 5,
              "connections_per_address": 400, "request_header_seconds": 10, "pairing_tries_per_minute": 10},
    # Staff are warned (and /api/health says degraded) when the data folder's disk has less free than this.
    "storage": {"warn_free_mb": 500},
    "printers": {},
    "stations": {},
    # HTTPS for the hall's network (run_hall.py --lan or lan = true); without it the hub stays on 127.0.0.1.
    "server": {"lan": False, "host": "0.0.0.0", "port": 8443, "http_port": 8080, "names": [], "addresses": []},
    # No folder, no timed copies: `run_hall.py backup --to FOLDER` still makes one on demand.
    "backup": {"folder": "", "every_minutes": 5, "keep": 48, "at_shift_close": True},
    # Visitors' own phones (docs/security.md): what one anonymous phone may do, checked by the hub.
    "visitor": {"max_open_orders": 1, "max_qty_per_line": 5, "max_lines": 20, "bookings_per_slot": 1,
                "bookings_per_day": 3, "commands_per_minute": 60, "session_hours": 72,
                "sessions_per_address_per_minute": 20, "push_interval_ms": 200, "connections_per_address": 2000},
    # Several hub processes sharing the screens through Redis (docs/scaling.md); one process needs neither.
    # channel: "" is one of the data folder's own, so two halls sharing a Redis never hear each other.
    "processes": {"count": 1, "redis": "", "channel": ""},
}


def _merge(base: dict, extra: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _duration(settings: dict, section: str, name: str) -> int:
    """`[section] name_minutes` in seconds. Halls think in minutes; `name_seconds`, which wins when given,
    is for tests and drills."""
    values = settings[section]
    return int(values.get(f"{name}_seconds", values[f"{name}_minutes"] * 60))


@dataclass(frozen=True)
class HallConfig:
    hall: dict
    tax_rate: int
    hold_seconds: int
    low_stock_threshold: int
    catalog_path: Path
    timezone: ZoneInfo
    printers: dict
    stations: dict
    data_dir: Path
    kiosk: dict
    cashiers: list
    refund_approval_over: int
    demos: dict
    demos_path: Path
    silent_terminal_seconds: int
    time_bounds: TimeBounds
    kiosk_limits: KioskLimits
    # [trust]: how long a connection may take to show a token, how many one address may hold, how long a
    # request's headers may take, how many wrong pairing codes an address may send a minute.
    trust: dict
    warn_free_bytes: int
    first_day: date | None = None
    hall_plan_path: Path | None = None
    server: dict | None = None
    # [backup]: `folder` (a Path, or None), `every_seconds`, `keep`, `at_shift_close`.
    backup: dict | None = None
    # [visitor]: every setting as a whole number (hub/rules/visitors.py reads the limits from it).
    visitor: dict | None = None
    # [processes]: `count`, `redis` (a URL, "" for none) and `channel` (one per hall sharing a Redis).
    processes: dict | None = None

    @property
    def db_path(self) -> Path:
        return self.data_dir / "hall.db"


def load(path: Path | str | None, data_dir: Path | str, overrides: dict | None = None) -> HallConfig:
    """Read the settings file (if any) and apply `overrides`, a mapping shaped like the file.

    Raises ConfigError, one line per mistake, when any setting is wrong (hub/config_check.py).
    """
    given, base_dir, shown = {}, Path.cwd(), "settings"
    if path is not None:
        path = Path(path)
        given, base_dir, shown = config_check.read(path), path.parent, config_check.shown_path(path)
    given = _merge(given, overrides or {})
    settings = _merge(DEFAULTS, given)
    mistakes = config_check.problems(given, settings, base_dir=base_dir, shown=shown)
    if mistakes:
        raise ConfigError(mistakes)
    sales = settings["sales"]
    hold_seconds = _duration(settings, "sales", "hold")
    silent_seconds = _duration(settings, "terminals", "silent")
    first_day = settings["show"].get("first_day")
    if first_day is not None:
        try:
            # TOML may give a bare date (first_day = 2026-11-25) or a string.
            first_day = first_day if type(first_day) is date else date.fromisoformat(first_day)
        except (TypeError, ValueError):
            raise ValueError(f"show.first_day {first_day!r} must be a date like 2026-11-25") from None
    catalog = Path(settings["catalog"]["file"])
    demos_file = Path(settings["demos"]["file"])
    plan_file = Path(settings["hall_plan"]["file"])
    return HallConfig(
        hall=settings["hall"],
        tax_rate=int(sales["tax_rate_percent"]),
        hold_seconds=hold_seconds,
        low_stock_threshold=int(sales["low_stock_threshold"]),
        catalog_path=catalog if catalog.is_absolute() else base_dir / catalog,
        timezone=ZoneInfo(settings["hall"]["timezone"]),
        printers=settings["printers"],
        stations=settings["stations"],
        data_dir=Path(data_dir),
        kiosk=settings["kiosk"],
        cashiers=settings["cashiers"],
        refund_approval_over=int(sales["refund_approval_over"]),
        demos={k: int(v) for k, v in settings["demos"].items() if k != "file"},
        demos_path=demos_file if demos_file.is_absolute() else base_dir / demos_file,
        silent_terminal_seconds=silent_seconds,
        time_bounds=_time_bounds(settings["trust"]),
        kiosk_limits=_kiosk_limits(settings["kiosk"]),
        trust=_trust(settings["trust"]),
        warn_free_bytes=settings["storage"]["warn_free_mb"] * 1_000_000,
        first_day=first_day,
        hall_plan_path=plan_file if plan_file.is_absolute() else base_dir / plan_file,
        server=dict(settings["server"]),
        backup=_backup(settings["backup"], base_dir, _duration(settings, "backup", "every")),
        visitor={key: int(value) for key, value in settings["visitor"].items()},
        processes=dict(settings["processes"]),
    )


def _backup(backup: dict, base_dir: Path, every_seconds: int) -> dict:
    folder = Path(backup["folder"]) if backup["folder"] else None
    return {"folder": folder if folder is None or folder.is_absolute() else base_dir / folder,
            "every_seconds": every_seconds, "keep": int(backup["keep"]),
            "at_shift_close": bool(backup["at_shift_close"])}


def _trust(trust: dict) -> dict:
    keys = ("unauthenticated_seconds", "connections_per_address", "request_header_seconds",
            "pairing_tries_per_minute")
    values = {key: int(trust[key]) for key in keys}
    if min(values.values()) < 1:
        raise ValueError(f"trust: {', '.join(keys)} must each be 1 or more")
    return values


def _kiosk_limits(kiosk: dict) -> KioskLimits:
    limits = KioskLimits(units_per_line=int(kiosk["max_qty_per_line"]), open_orders=int(kiosk["max_open_orders"]),
                         places_per_slot=int(kiosk["max_places_per_slot"]))
    if min(limits.units_per_line, limits.open_orders, limits.places_per_slot) < 1:
        raise ValueError("kiosk.max_qty_per_line, max_open_orders and max_places_per_slot must be 1 or more")
    return limits


def _time_bounds(trust: dict) -> TimeBounds:
    skew, outage = int(trust["clock_skew_seconds"]), float(trust["longest_outage_hours"])
    if skew < 0 or outage <= 0:
        raise ValueError("trust.clock_skew_seconds must be 0 or more and trust.longest_outage_hours positive")
    return TimeBounds(skew=timedelta(seconds=skew), longest_outage=timedelta(hours=outage))
