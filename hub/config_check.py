"""Every setting in hall.toml checked before the hub starts.

Each mistake is one line naming the file, the setting and the fix, such as

    config/hall.toml: [stations] kiosk-1: no printer named "no-such-printer" (printers: counter-1, demo-door)

and the hub does not start while there is one. `python run_hall.py check` runs the same checks and starts
nothing. Types, ranges, and the names that must refer to something (a station's printer, a cashier's PIN hash,
the catalog and demo program files) are all checked here, so a typo shows on the morning of the show, not at the
first sale.
"""
import difflib
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from printers.profile import PrinterProfile
from printers.transports import make_transport

from .errors import HallError
from .rules import hall_plan
from .rules.cashiers import ID_PATTERN

BUSINESS_NO = re.compile(r"^\d{3}-\d{2}-\d{5}$")
# Redis as python-socketio's RedisManager takes it: redis://, rediss:// (TLS) or unix://; empty for none.
REDIS_URL = re.compile(r"^$|^(rediss?|unix)://\S+$")
PIN_HASH = re.compile(r"^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$")


class ConfigError(Exception):
    """The settings file has mistakes: `lines`, one per mistake, ready to print."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


# --- what one value may be: each check returns the problem (with its fix) or None -------------------------

def whole(low: int, high: int):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"must be a whole number from {low} to {high}, not {_shown(value)}"
        return None
    return check


def positive(high: float):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= high:
            return f"must be a number above 0 and at most {high:g}, not {_shown(value)}"
        return None
    return check


def text(*, required: bool = False, pattern: re.Pattern | None = None, example: str = ""):
    def check(value):
        if not isinstance(value, str):
            return f"must be text in quotes, not {_shown(value)}"
        if required and not value.strip():
            return "must not be empty"
        if pattern and not pattern.match(value):
            return f"{_shown(value)} is not in the form {example}"
        return None
    return check


def day(value):
    """A date, bare in TOML (2026-11-25) or in quotes."""
    from datetime import date
    if type(value) is date:
        return None
    try:
        date.fromisoformat(value)
        return None
    except (TypeError, ValueError):
        return f"must be a date like 2026-11-25, not {_shown(value)}"


def boolean(value):
    return None if isinstance(value, bool) else f"must be true or false, not {_shown(value)}"


def names(value):
    """A list of host names or addresses, each in quotes."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return f'must be a list of names in quotes, such as ["hall.local"], not {_shown(value)}'
    return None


def zone(value):
    if not isinstance(value, str):
        return f"must be text in quotes, not {_shown(value)}"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f'no time zone named {_shown(value)} (use a name such as "Asia/Seoul")'
    return None


# The sections that are plain tables, and every key each may hold.
SECTIONS = {
    "hall": {"name": text(required=True), "name_en": text(), "business_no": text(
                 required=True, pattern=BUSINESS_NO, example='"123-45-67890" (사업자등록번호)'),
             "representative": text(), "address": text(), "phone": text(), "receipt_footer": text(),
             "timezone": zone},
    "sales": {"tax_rate_percent": whole(0, 100), "hold_minutes": positive(1440), "hold_seconds": whole(1, 86_400),
              "low_stock_threshold": whole(0, 100_000), "refund_approval_over": whole(0, 100_000_000)},
    "catalog": {"file": text(required=True)},
    "hall_plan": {"file": text(required=True)},
    "demos": {"file": text(required=True), "max_party": whole(1, 50), "early_minutes": whole(0, 1440),
              "release_minutes": whole(0, 1440)},
    "kiosk": {"idle_seconds": whole(10, 3600), "idle_warning_seconds": whole(1, 600),
              "max_qty_per_line": whole(1, 999), "max_open_orders": whole(1, 1000),
              "max_places_per_slot": whole(1, 1000)},
    "terminals": {"silent_minutes": positive(1440), "silent_seconds": whole(1, 86_400)},
    "storage": {"warn_free_mb": whole(0, 1_000_000)},
    "show": {"first_day": day},
    "trust": {"clock_skew_seconds": whole(0, 86_400), "longest_outage_hours": positive(24 * 14),
              "unauthenticated_seconds": whole(1, 600), "connections_per_address": whole(1, 1_000_000),
              "request_header_seconds": whole(1, 600), "pairing_tries_per_minute": whole(1, 10_000)},
    # docs/network.md: HTTPS on the hall's network, and the plain-HTTP port that hands out the hall CA.
    "server": {"lan": boolean, "host": text(required=True), "port": whole(1, 65_535),
               "http_port": whole(1, 65_535), "names": names, "addresses": names},
    # docs/network.md: copies of the record to a second disk while the hall runs.
    "backup": {"folder": text(), "every_minutes": positive(1440), "every_seconds": whole(1, 86_400),
               "keep": whole(1, 10_000), "at_shift_close": boolean},
    # docs/security.md: what one visitor's phone may do.
    "visitor": {"max_open_orders": whole(1, 100), "max_qty_per_line": whole(1, 999), "max_lines": whole(1, 200),
                "bookings_per_slot": whole(1, 100), "bookings_per_day": whole(1, 1000),
                "commands_per_minute": whole(1, 100_000), "session_hours": whole(1, 24 * 31),
                "sessions_per_address_per_minute": whole(1, 1_000_000), "push_interval_ms": whole(50, 10_000),
                "connections_per_address": whole(1, 1_000_000)},
    # docs/scaling.md: the hall as several processes sharing the screens through Redis.
    "processes": {"count": whole(1, 64), "redis": text(pattern=REDIS_URL, example="redis://127.0.0.1:6379/0"),
              "channel": text()},
}
CASHIER_KEYS = {"id": text(required=True, pattern=ID_PATTERN, example="1-20 letters, digits, '.', '_' or '-'"),
                "name": text(required=True), "pin_hash": text(required=True), "supervisor": boolean}
EVERY_SECTION = (*SECTIONS, "cashiers", "printers", "stations")


def read(path: Path | str) -> dict:
    """The file's settings as written; a file that is missing or not TOML is one line, not a traceback."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as err:
        raise ConfigError([f"{shown_path(path)}: cannot read it ({err.strerror}); give the right file with --config"])
    except tomllib.TOMLDecodeError as err:
        # tomllib says "Expected ']' at the end of a table declaration (at line 3, column 6)".
        found = re.match(r"(.*) \(at line (\d+), column (\d+)\)$", str(err))
        where, what = (f"line {found[2]}, column {found[3]}", found[1]) if found else ("", str(err))
        what = what[:1].lower() + what[1:]
        raise ConfigError([f"{shown_path(path)}: {where}: {what} (fix the TOML there)" if where
                           else f"{shown_path(path)}: {what} (fix the TOML)"])


def problems(given: dict, settings: dict, *, base_dir: Path, shown: str) -> list[str]:
    """One line per mistake. `given` is what the file (and any overrides) said, `settings` that over the
    defaults; keys are checked in `given` (so an unknown one is caught), values in `settings`."""
    found: list[tuple[str, str, str]] = []  # (where, key, problem)
    for section in given:
        if section not in EVERY_SECTION:
            found.append((f"[{section}]", "", f"unknown section{_did_you_mean(section, EVERY_SECTION)}"))
    for section, keys in SECTIONS.items():
        found += _table(section, given.get(section, {}), settings[section], keys)
    found += _durations(settings)
    found += _files(given, settings, base_dir)
    found += _cashiers(given.get("cashiers", []))
    printers = settings.get("printers", {})
    found += _printers(printers)
    found += _stations(settings.get("stations", {}), printers)
    return [_line(shown, *problem) for problem in found]


def shown_path(path: Path) -> str:
    """The file as the operator knows it: relative to where they are, when it is below it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def _line(shown: str, where: str, key: str, problem: str) -> str:
    return f"{shown}: {where}{' ' + key if key else ''}: {problem}"


def _table(section: str, given, values, keys: dict) -> list[tuple]:
    where = f"[{section}]"
    if not isinstance(given, dict) or not isinstance(values, dict):
        return [(where, "", f"must be a table ({where} on a line of its own, then key = value lines)")]
    found = []
    for key in given:
        if key not in keys:
            found.append((where, key, f"unknown setting{_did_you_mean(key, keys)}"))
    for key, check in keys.items():
        if key in values:
            problem = check(values[key])
            if problem:
                found.append((where, key, problem))
    return found


def _section(settings: dict, name: str) -> dict:
    """A section's values, or nothing when it is not a table (that mistake is told once, by _table)."""
    values = settings.get(name)
    return values if isinstance(values, dict) else {}


def _durations(settings: dict) -> list[tuple]:
    kiosk = _section(settings, "kiosk")
    idle, warning = kiosk.get("idle_seconds"), kiosk.get("idle_warning_seconds")
    if all(isinstance(v, int) and not isinstance(v, bool) for v in (idle, warning)) and warning >= idle:
        return [("[kiosk]", "idle_warning_seconds", f"must be less than idle_seconds ({idle}), not {warning}")]
    return []


def _files(given: dict, settings: dict, base_dir: Path) -> list[tuple]:
    found = []
    for section in ("catalog", "demos", "hall_plan"):
        name = _section(settings, section).get("file")
        # The demo program and the hall plan are optional: only a file named in hall.toml must be there.
        named = isinstance(given.get(section), dict) and "file" in given[section]
        if not isinstance(name, str) or not name.strip() or (section != "catalog" and not named):
            continue
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        if not path.is_file():
            found.append((f"[{section}]", "file", f"{shown_path(path)} is not there (give the path of the file, "
                                           f"relative to {shown_path(base_dir) or '.'})"))
        elif section == "hall_plan":
            found += _hall_plan(path)
    return found


def _hall_plan(path: Path) -> list[tuple]:
    """The hall plan's own mistakes, one line each, as the hub would refuse them at start."""
    try:
        hall_plan.parse_plan(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        return [("[hall_plan]", "file", f"{shown_path(path)}: cannot read it ({err})")]
    except HallError as refused:
        return [("[hall_plan]", "file", f"{shown_path(path)}: {e['where'] or 'the file'}: {e['problem']}")
                for e in refused.details["errors"]]
    return []


def _cashiers(entries) -> list[tuple]:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return [("[[cashiers]]", "", "must be a list of [[cashiers]] tables, one per cashier")]
    found, seen = [], {}
    for number, entry in enumerate(entries, start=1):
        label = f"[[cashiers]] #{number}"
        for key in entry:
            if key not in CASHIER_KEYS:
                found.append((label, key, f"unknown setting{_did_you_mean(key, CASHIER_KEYS)}"))
        for key, check in CASHIER_KEYS.items():
            if key not in entry:
                if key != "supervisor":
                    found.append((label, key, "is missing" + (" (make one with `python run_hall.py pin-hash`)"
                                                              if key == "pin_hash" else "")))
                continue
            problem = check(entry[key])
            if problem is None and key == "pin_hash" and not PIN_HASH.match(entry[key]):
                problem = "is not a PIN hash (make one with `python run_hall.py pin-hash`)"
            if problem:
                found.append((label, key, problem))
        cashier_id = entry.get("id")
        if isinstance(cashier_id, str):
            if cashier_id in seen:
                found.append((label, "id", f'"{cashier_id}" is cashier #{seen[cashier_id]} already '
                                           "(each cashier needs an id of their own)"))
            seen.setdefault(cashier_id, number)
    return found


def _printers(printers) -> list[tuple]:
    if not isinstance(printers, dict):
        return [("[printers]", "", "must be tables, one [printers.NAME] per printer")]
    found = []
    for name, settings in printers.items():
        section = f"[printers.{name}]"
        if not isinstance(settings, dict):
            found.append((section, "", "must be a table of the printer's settings (type = ..., columns = ...)"))
            continue
        # The paper and the way to reach the printer are told apart, so both mistakes show at once. The
        # transport is built, never opened: its options are checked and the printer is not reached.
        for build in (PrinterProfile.from_config, make_transport):
            try:
                build(settings)
            except (ValueError, TypeError) as wrong:
                # "columns must be 16..96, not 300" names its key first.
                keyed = re.match(r"^(\w+) (must .*)$", str(wrong))
                found.append((section, keyed[1], keyed[2]) if keyed else (section, "", str(wrong)))
    return found


def _stations(stations, printers: dict) -> list[tuple]:
    if not isinstance(stations, dict):
        return [("[stations]", "", 'must be a table of device = "printer" lines')]
    names = ", ".join(printers) if isinstance(printers, dict) and printers else "none configured"
    found = []
    for device, printer in stations.items():
        if not isinstance(printer, str):
            found.append(("[stations]", device, f"must name a printer in quotes, not {_shown(printer)}"))
        elif not isinstance(printers, dict) or printer not in printers:
            found.append(("[stations]", device, f'no printer named "{printer}" (printers: {names})'))
    return found


def _shown(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a table" if isinstance(value, dict) else "a list"
    return str(value)


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]}?)" if close else f" (known: {', '.join(choices)})"
