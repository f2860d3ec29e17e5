"""Any payload, for any command, from any role, against a real hub: never `internal`, and a refusal changes
nothing (but the misses a wrong PIN or password must count, and an offline sale kept for staff).

Payloads are drawn from the shapes docs/protocol.md gives each command: its documented field names, filled
with JSON of every kind (text with control characters and lone surrogates, huge and negative numbers, nested
lists and objects, UUIDs, a known product's sku), some fields left out, some added.
"""
import re
import uuid
from pathlib import Path

import pytest
import requests as http
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.wire.sockets import COMMANDS
from tests.conftest import hall_config
from tests.hubproc import Client, HubProcess

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
ROLES = ("kiosk", "pos", "staff", "scanner", "visitor")
# Refusals that still write what they must: a wrong secret is counted, an offline sale is kept for staff.
COUNTED = {"wrong_pin", "wrong_password", "locked", "supervisor_required", "wrong_cashier", "slow_down"}


def documented_fields(command: str) -> list[str]:
    """The field names the protocol shows in a command's section (its payload and what it explains)."""
    section = re.search(rf"^### `{command}` — .*?(?=^### |^## )", PROTOCOL, re.MULTILINE | re.DOTALL).group(0)
    payload = section.split("Ack", 1)[0]
    return sorted(set(re.findall(r'"([a-z_]+)"', payload)))


SHAPES = {name: documented_fields(name) for name in COMMANDS}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70), st.floats(allow_nan=False),
    st.text(max_size=30), st.sampled_from(["PEN", "ROBOT", "LAST", "HOLD:ABC234", "\ud800", "a\x00b", "", " ",
                                           "1234", "c01", "2026-11-25T13:00:00+09:00", "9" * 400]),
    st.builds(lambda: str(uuid.uuid4())),
)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)


# Text a screen should never send: a lone surrogate or a control character inside ordinary words.
nasty_text = st.builds(lambda left, bad, right: left + bad + right, st.text(max_size=6),
                       st.sampled_from(["\ud800", "\udfff", "\x00", "\x1b", "\u202e"]), st.text(max_size=6))
IDS = {"sale_id", "hold_id", "refund_id", "shift_id", "booking_id", "scan_id", "feedback_id", "request_id"}
COUNTS = {"qty", "party", "rating", "threshold", "float", "counted_cash", "amount", "since", "limit", "alert_id"}
PEOPLE = {"cashier_id", "supervisor_id", "approver_id", "person", "name"}


def plausible(field: str):
    """A value that passes a field's first checks, so a draw reaches the code behind them."""
    if field in IDS:
        return st.builds(lambda: str(uuid.uuid4()))
    if field in COUNTS:
        return st.integers(0, 12)
    if field in PEOPLE:
        return st.sampled_from(["c01", "s01", "t01", "tester"])
    if field in ("pin", "supervisor_pin"):
        return st.sampled_from(["1234", "9999", "0000"])
    if field == "sku":
        return st.sampled_from(["PEN", "ROBOT", "LAST"])
    return st.one_of(nasty_text, st.text(max_size=20))


def field_value(field: str):
    return st.one_of(plausible(field), plausible(field), nasty_text, json_values)


@st.composite
def command_payloads(draw):
    name = draw(st.sampled_from(sorted(COMMANDS)))
    role = draw(st.sampled_from(ROLES))
    fields = SHAPES[name]
    chosen = draw(st.lists(st.sampled_from(fields), unique=True)) if fields else []
    payload = {field: draw(field_value(field)) for field in chosen}
    if draw(st.booleans()):
        payload["lines"] = draw(st.lists(st.fixed_dictionaries(
            {"sku": st.sampled_from(["PEN", "ROBOT", "NOPE"]), "qty": st.integers(-3, 2000)}), max_size=3))
    whole = draw(st.one_of(st.just(payload), json_values)) if draw(st.integers(0, 9)) == 0 else payload
    return role, name, whole


@pytest.fixture(scope="module")
def fuzz_hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    catalog = folder / "catalog.csv"
    from tests.conftest import TEST_CATALOG
    catalog.write_text(TEST_CATALOG, encoding="utf-8")
    # A phone's pace is left wide, so its draws reach its commands rather than its rate limit.
    process = HubProcess(folder / "data", hall_config(folder, catalog,
                                                      extra="[visitor]\ncommands_per_minute = 100000\n")).start()
    screens = {role: process.client(role, f"{role}-fuzz") for role in ROLES if role != "visitor"}
    session = http.post(process.url + "/api/visit/session", json={}, timeout=10).json()
    screens["visitor"] = Client(process.url + "?visitor=1", session["token"])
    yield process, screens
    for client in screens.values():
        client.close()
    process.stop()


def head(hub) -> int:
    return http.get(hub.url + "/api/health", timeout=10).json()["seq"]


def test_the_protocol_gives_every_command_a_shape():
    assert SHAPES["checkout"] and {"sale_id", "lines", "payments"} <= set(SHAPES["checkout"])


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(attempt=command_payloads())
def test_no_payload_from_any_screen_is_internal_and_a_refusal_changes_nothing(fuzz_hub, attempt):
    hub, screens = fuzz_hub
    role, name, payload = attempt
    before = head(hub)
    answer = screens[role].call(name, payload, timeout=20)
    assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool), answer
    if answer["ok"]:
        return
    code = answer["error"]["code"]
    assert code != "internal", (role, name, payload, answer)
    assert re.fullmatch(r"[a-z_]+", code) and f"`{code}`" in PROTOCOL
    kept_for_staff = name == "checkout" and isinstance(payload, dict) and payload.get("offline_at")
    if code not in COUNTED and not kept_for_staff:
        assert head(hub) == before, (role, name, payload, answer)
