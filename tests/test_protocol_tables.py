"""docs/protocol.md's payload tables are made from hub/wire/payloads.py's schemas: a table that differs from its
schema, or a schema without a table, fails here (`python scripts/protocol_tables.py` writes them again)."""
import pytest

from hub.wire.payloads import SCHEMAS
from hub.wire.sockets import COMMANDS
from scripts.protocol_tables import PROTOCOL, block, differences, rewrite

TEXT = PROTOCOL.read_text(encoding="utf-8")


def test_every_payload_table_matches_its_schema():
    assert differences(TEXT) == []


def test_every_schema_is_for_a_command_the_hub_has():
    assert set(SCHEMAS) <= set(COMMANDS)


@pytest.mark.parametrize("command", ["checkout", "adjust", "sync"])
def test_a_table_edited_by_hand_is_found_and_written_again(command):
    edited = TEXT.replace(block(command), block(command).replace("| integer |", "| text |", 1))
    assert edited != TEXT
    assert differences(edited) == [f"{command}: the table differs from its schema"]
    assert rewrite(edited) == TEXT


def test_a_missing_table_is_found():
    assert differences(TEXT.replace(block("hold"), "")) == ["hold: no payload table in its section"]


def test_the_table_says_what_the_schema_allows():
    table = block("checkout")
    for row in ("| `lines[].qty` | integer | yes | 1–999 |", "| `payments[].method` | one of | yes | `cash`, `card` |",
                "| `payments[].approval_no` | text | yes (method `card`) | ≤ 20 characters |",
                "| `offline_at` | ISO 8601 time | no | with its UTC offset |"):
        assert row in table, row
