"""docs/protocol.md is the contract: every command, event type and error code is in it."""
import re
from pathlib import Path

import pytest

from hub.events import AUDIENCE
from hub.wire.sockets import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")


def hub_sources():
    """Every module whose words can reach a screen: the hub's, and the spool's refusals it passes on."""
    return [*(ROOT / "hub").rglob("*.py"), ROOT / "printers" / "spool.py"]


def codes_raised_in_hub() -> set[str]:
    codes = set()
    for path in hub_sources():
        codes |= set(re.findall(r'(?:HallError|SpoolError)\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    return codes | {"invalid"}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_its_section_with_its_roles(name):
    match = re.search(rf"^### `{name}` — (.+)$", PROTOCOL, re.MULTILINE)
    assert match, f"command {name} is not documented"
    roles = COMMANDS[name]["roles"]
    listed = match.group(1)
    if roles == {"kiosk", "pos", "staff", "scanner"}:
        assert "all roles" in listed
    else:
        assert all(role in listed for role in roles)


@pytest.mark.parametrize("event_type", sorted(AUDIENCE))
def test_every_event_type_is_documented_with_its_audience(event_type):
    row = re.search(rf"^\| `{re.escape(event_type)}` \| ([^|]+) \|", PROTOCOL, re.MULTILINE)
    assert row, f"event {event_type} is not in the events table"
    assert {r.strip() for r in row.group(1).split(",")} == set(AUDIENCE[event_type])


@pytest.mark.parametrize("code", sorted(codes_raised_in_hub()))
def test_every_error_code_is_documented(code):
    assert f"`{code}`" in PROTOCOL


def test_no_documented_command_is_missing_from_the_hub():
    documented = set(re.findall(r"^### `([a-z_]+)`", PROTOCOL, re.MULTILINE))
    assert documented == set(COMMANDS)


def test_every_push_the_hub_emits_is_documented():
    pushes = set()
    for path in hub_sources():
        pushes |= set(re.findall(r'\bemit(?:_each)?\(\s*"([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert {"presence", "changes"} <= pushes  # the pattern still finds the hub's pushes, per role and per phone
    documented = set(re.findall(r"^### push `([a-z_.]+)`", PROTOCOL, re.MULTILINE))
    assert pushes - {"event"} <= documented
