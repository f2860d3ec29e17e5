"""hall.toml checked before the hub starts: each mistake is one line naming the file, the setting and the fix,
with exit code 2, from `run_hall.py check` and from starting the hub alike."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "config" / "hall.toml"
PRINTERS = "(printers: counter-1, counter-2, kiosk-1, demo-door)"


@pytest.fixture
def hall_dir(tmp_path) -> Path:
    """A copy of the shipped settings with the catalog, demo program and hall plan beside it."""
    for name in ("hall.toml", "catalog.csv", "demos.csv", "hall-plan.json"):
        shutil.copy(ROOT / "config" / name, tmp_path / name)
    return tmp_path


def run_hall(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run_hall.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=False)


def edited(hall_dir: Path, old: str, new: str) -> None:
    path = hall_dir / "hall.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_settings_pass(hall_dir):
    done = run_hall(hall_dir, "check", "--config", "hall.toml")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hall.toml: every setting is fine (4 printers, 5 stations, 2 cashiers)\n"
    assert done.stderr == ""


MISTAKES = [
    ("[hall]", "[hall",
     "hall.toml: line 3, column 6: expected ']' at the end of a table declaration (fix the TOML there)"),
    ('kiosk-1 = "kiosk-1"', 'kiosk-1 = "no-such-printer"',
     f'hall.toml: [stations] kiosk-1: no printer named "no-such-printer" {PRINTERS}'),
    ('kiosk-1 = "kiosk-1"', "kiosk-1 = 1", "hall.toml: [stations] kiosk-1: must name a printer in quotes, not 1"),
    ("tax_rate_percent = 10", 'tax_rate_percent = "10"',
     'hall.toml: [sales] tax_rate_percent: must be a whole number from 0 to 100, not "10"'),
    ("tax_rate_percent = 10", "tax_rate_percent = 110",
     "hall.toml: [sales] tax_rate_percent: must be a whole number from 0 to 100, not 110"),
    ("hold_minutes = 15", "hold_minute = 15",
     "hall.toml: [sales] hold_minute: unknown setting (did you mean hold_minutes?)"),
    ("hold_minutes = 15", "hold_minutes = 0",
     "hall.toml: [sales] hold_minutes: must be a number above 0 and at most 1440, not 0"),
    ('timezone = "Asia/Seoul"', 'timezone = "Asia/Seol"',
     'hall.toml: [hall] timezone: no time zone named "Asia/Seol" (use a name such as "Asia/Seoul")'),
    ('business_no = "214-82-12343"', 'business_no = "2148212343"',
     'hall.toml: [hall] business_no: "2148212343" is not in the form "123-45-67890" (사업자등록번호)'),
    ('id = "s01"', 'id = "c01"',
     'hall.toml: [[cashiers]] #2 id: "c01" is cashier #1 already (each cashier needs an id of their own)'),
    ('name = "박감독"\n', "",
     "hall.toml: [[cashiers]] #2 name: is missing"),
    ('pin_hash = "scrypt$584acc', 'pin_hash = "1234$584acc',
     "hall.toml: [[cashiers]] #1 pin_hash: is not a PIN hash (make one with `python run_hall.py pin-hash`)"),
    ("supervisor = true", 'supervisor = "yes"', 'hall.toml: [[cashiers]] #2 supervisor: must be true or false, not "yes"'),
    ('[printers.counter-2]\ntype = "virtual"', '[printers.counter-2]\ntype = "netwrok"',
     "hall.toml: [printers.counter-2]: printer type 'netwrok' is not one of network, usb, serial, file, virtual"),
    ("columns = 32", "columns = 300", "hall.toml: [printers.demo-door] columns: must be 16..96, not 300"),
    ("columns = 32", 'columns = 32\ncolour = "red"',
     "hall.toml: [printers.demo-door]: unknown option(s) for a virtual printer: colour (accepted: directory)"),
    ("idle_warning_seconds = 20", "idle_warning_seconds = 90",
     "hall.toml: [kiosk] idle_warning_seconds: must be less than idle_seconds (90), not 90"),
    ("silent_minutes = 2", "silent_minutes = -1",
     "hall.toml: [terminals] silent_minutes: must be a number above 0 and at most 1440, not -1"),
    ("max_party = 4", "max_party = true", "hall.toml: [demos] max_party: must be a whole number from 1 to 50, not true"),
    ('file = "catalog.csv"', 'file = "catalgo.csv"',
     "hall.toml: [catalog] file: catalgo.csv is not there (give the path of the file, relative to .)"),
    ('file = "demos.csv"', 'file = "demo.csv"',
     "hall.toml: [demos] file: demo.csv is not there (give the path of the file, relative to .)"),
    ('file = "hall-plan.json"', 'file = "hall-plan.jsn"',
     "hall.toml: [hall_plan] file: hall-plan.jsn is not there (give the path of the file, relative to .)"),
    ("warn_free_mb = 500", "warn_free_mb = -5",
     "hall.toml: [storage] warn_free_mb: must be a whole number from 0 to 1000000, not -5"),
    ("[kiosk]", "[sale]\ntax = 1\n\n[kiosk]", "hall.toml: [sale]: unknown section (did you mean sales?)"),
    ("max_open_orders = 8", "max_open_orders = 0",
     "hall.toml: [kiosk] max_open_orders: must be a whole number from 1 to 1000, not 0"),
    ("clock_skew_seconds = 120", 'clock_skew_seconds = "2m"',
     'hall.toml: [trust] clock_skew_seconds: must be a whole number from 0 to 86400, not "2m"'),
]


@pytest.mark.parametrize("old, new, line", MISTAKES, ids=[m[2].split(": ", 1)[1][:40] for m in MISTAKES])
def test_each_mistake_is_one_line_and_exit_code_2(hall_dir, old, new, line):
    edited(hall_dir, old, new)
    done = run_hall(hall_dir, "check", "--config", "hall.toml")
    assert (done.returncode, done.stderr.splitlines(), done.stdout) == (2, [line], "")


def test_every_mistake_is_told_at_once(hall_dir):
    edited(hall_dir, 'kiosk-1 = "kiosk-1"', 'kiosk-1 = "no-such-printer"')
    edited(hall_dir, "tax_rate_percent = 10", "tax_rate_percent = 10.5")
    done = run_hall(hall_dir, "check", "--config", "hall.toml")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "hall.toml: [sales] tax_rate_percent: must be a whole number from 0 to 100, not 10.5",
        f'hall.toml: [stations] kiosk-1: no printer named "no-such-printer" {PRINTERS}']


def test_a_missing_settings_file_is_one_line(tmp_path):
    done = run_hall(tmp_path, "check", "--config", "nowhere.toml")
    assert (done.returncode, done.stderr.splitlines()) == (
        2, ["nowhere.toml: cannot read it (No such file or directory); give the right file with --config"])


def test_the_hub_does_not_start_with_a_mistake_and_says_the_same_line(hall_dir):
    edited(hall_dir, 'kiosk-1 = "kiosk-1"', 'kiosk-1 = "no-such-printer"')
    done = run_hall(hall_dir, "--config", "hall.toml", "--data", "data", "--port", "9")
    assert (done.returncode, done.stderr.splitlines()) == (
        2, [f'hall.toml: [stations] kiosk-1: no printer named "no-such-printer" {PRINTERS}'])
    assert "Traceback" not in done.stderr and "is open" not in done.stdout
    assert not (hall_dir / "data").exists()  # nothing was made


def test_a_typo_in_the_file_stops_the_start_without_a_traceback(hall_dir):
    edited(hall_dir, "[hall]", "[hall")
    done = run_hall(hall_dir, "--config", "hall.toml", "--data", "data", "--port", "9")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "hall.toml: line 3, column 6: expected ']' at the end of a table declaration (fix the TOML there)"]


def test_a_mistake_in_the_hall_plan_is_told_by_check_too(hall_dir):
    plan = hall_dir / "hall-plan.json"
    plan.write_text(plan.read_text(encoding="utf-8").replace('"rows": 5', '"rows": 0', 1), encoding="utf-8")
    done = run_hall(hall_dir, "check", "--config", "hall.toml")
    assert (done.returncode, done.stderr.splitlines()) == (2, [
        "hall.toml: [hall_plan] file: hall-plan.json: halls[0].rows: must be a whole number from 1 to 9"])
