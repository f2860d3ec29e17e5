"""Hall settings: built-in defaults, then config/hall.toml, then the caller's overrides."""
import copy
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

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
    "demos": {"file": "demos.csv", "max_party": 4, "early_minutes": 30, "release_minutes": 10},
    "kiosk": {"idle_seconds": 90, "idle_warning_seconds": 20, "max_qty_per_line": 10},
    "terminals": {"silent_minutes": 2},
    # Staff are warned (and /api/health says degraded) when the data folder's disk has less free than this.
    "storage": {"warn_free_mb": 500},
    "printers": {},
    "stations": {},
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
    warn_free_bytes: int

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
    catalog = Path(settings["catalog"]["file"])
    demos_file = Path(settings["demos"]["file"])
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
        warn_free_bytes=settings["storage"]["warn_free_mb"] * 1_000_000,
    )
