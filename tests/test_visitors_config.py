"""[visitor] in hall.toml: its defaults, and a wrong setting named in one line before the hub starts."""
from pathlib import Path

import pytest

from hub import config
from hub.rules.visitors import VisitorLimits
from tests.conftest import TEST_CATALOG

DEFAULTS = {"max_open_orders": 1, "max_qty_per_line": 5, "max_lines": 20, "bookings_per_slot": 1,
            "bookings_per_day": 3, "commands_per_minute": 60, "session_hours": 72,
            "sessions_per_address_per_minute": 20, "push_interval_ms": 200, "connections_per_address": 2000}


@pytest.fixture
def catalog_dir(tmp_path):
    (tmp_path / "catalog.csv").write_text(TEST_CATALOG, encoding="utf-8")
    return tmp_path


def load(folder, visitor: dict):
    return config.load(None, folder / "data", {"catalog": {"file": str(folder / "catalog.csv")},
                                               "visitor": visitor})


def test_the_defaults_are_the_contracts(catalog_dir):
    loaded = load(catalog_dir, {})
    assert loaded.visitor == DEFAULTS
    assert VisitorLimits.from_settings(loaded.visitor) == VisitorLimits(open_orders=1, units_per_line=5, lines=20,
                                                                        bookings_per_slot=1, bookings_per_day=3)


def test_the_shipped_hall_toml_says_the_same():
    shipped = Path(__file__).resolve().parent.parent / "config" / "hall.toml"
    assert config.config_check.read(shipped)["visitor"] == DEFAULTS


@pytest.mark.parametrize("key, value, problem", [
    ("push_interval_ms", 10, "must be a whole number from 50 to 10000, not 10"),
    ("max_open_orders", 0, "must be a whole number from 1 to 100, not 0"),
    ("session_hours", "72", "must be a whole number from 1 to 744"),
    ("bookings_per_dya", 3, "unknown setting"),
])
def test_a_wrong_setting_is_one_line_naming_it(catalog_dir, key, value, problem):
    with pytest.raises(config.ConfigError) as refused:
        load(catalog_dir, {key: value})
    (line,) = refused.value.lines
    assert "[visitor]" in line and key in line and problem in line, line
