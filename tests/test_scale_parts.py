"""The parts of a hall run as several processes (hub/scale). The relay's pickles: a serving process's write crosses
to the writer as the rule function by name and its arguments as they are; the hall's own secrets cross by name
only; nothing else may be named. The queue: only what the hall's own processes signed is believed."""
import os
import pickle
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hub.errors import HallError
from hub.rules import inventory, printing, tickets
from hub.rules.claims import TimeBounds
from hub.rules.fair_share import KioskLimits
from hub.scale import Place
from hub.scale.presence import TELL_SECONDS, Presence
from hub.scale.queue import PRESENCE, RECORD_EVENTS, HallQueue, default_channel
from hub.wire.headers import sibling_origin
from hub.scale.relay import dumps, loads


@pytest.fixture
def shared(tmp_path):
    return {"ticket_key": tickets.load_or_create_key(tmp_path / "key.pem"), "visitor_secret": os.urandom(32)}


def test_a_write_crosses_as_the_rule_by_name_with_its_arguments(shared):
    now = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    limits = KioskLimits(units_per_line=10, open_orders=8, places_per_slot=6)
    call = (printing.hold, ({"hold_id": "h-1", "lines": [{"sku": "P00001", "qty": 2}], "at": now},),
            {"limits": limits, "audience": frozenset({"pos", "staff"}), "key": shared["ticket_key"]})

    fn, args, kwargs = loads(dumps(call, shared), shared)

    assert fn is printing.hold
    assert args[0]["at"] == now and args[0]["lines"] == [{"sku": "P00001", "qty": 2}]
    assert kwargs["limits"] == limits and kwargs["audience"] == frozenset({"pos", "staff"})
    assert kwargs["key"] is shared["ticket_key"]  # the writer's own key object, not a copy


def test_the_halls_secrets_cross_by_name_never_by_value(shared, tmp_path):
    wire = dumps((inventory.restock, (), {"secret": shared["visitor_secret"]}), shared)

    assert shared["visitor_secret"] not in wire
    other_side = {"ticket_key": shared["ticket_key"], "visitor_secret": b"the writer's own copy"}
    assert loads(wire, other_side)[2]["secret"] == b"the writer's own copy"
    with pytest.raises(pickle.UnpicklingError, match="no shared object"):
        loads(wire, {})


def test_a_result_carrying_a_refusal_crosses_whole(shared):
    """A wrong PIN is counted (committed) and then refused: the rule's result carries the HallError to raise."""
    result = {"refused": HallError("wrong_pin", "wrong PIN", tries_left=2, locked=False)}
    _, back, rows = loads(dumps(("done", result, []), shared), shared)
    refused = back["refused"]
    assert isinstance(refused, HallError)
    assert refused.to_ack() == {"ok": False, "error": {"code": "wrong_pin", "message": "wrong PIN", "tries_left": 2,
                                                       "locked": False}}


@pytest.mark.parametrize("named", [os.system, eval, pickle.loads])
def test_a_pickle_naming_anything_but_the_rules_and_plain_values_is_refused(named, shared):
    with pytest.raises(pickle.UnpicklingError, match="does not carry"):
        loads(pickle.dumps((named, ("echo owned",), {})), shared)


@pytest.mark.parametrize("global_", [b"hub.rules.records\nuuid", b"hub.rules.records\nuuid.uuid4",
                                     b"hub.rules.inventory\nHallError"])
def test_a_module_or_a_name_a_rule_only_imported_is_refused(global_, shared):
    with pytest.raises(pickle.UnpicklingError, match="does not carry"):
        loads(b"c" + global_ + b"\n.", shared)


def test_a_time_bound_and_a_refusal_survive_the_trip(shared):
    bounds = TimeBounds(skew=__import__("datetime").timedelta(seconds=120),
                        longest_outage=__import__("datetime").timedelta(hours=12))
    assert loads(dumps(("refused", "out_of_stock", "only 2 left", {"sku": "P1"}, bounds), shared), shared) == \
        ("refused", "out_of_stock", "only 2 left", {"sku": "P1"}, bounds)


@pytest.mark.parametrize("origin, allowed", [
    ("http://127.0.0.1:5600", True),   # the page's own process
    ("http://127.0.0.1:5601", True),   # a page from another process of the hall, moved on
    ("http://127.0.0.1:5602", False),  # not a port of this hall
    ("http://evil.example:5601", False),
    ("https://127.0.0.1:5601", False),  # another scheme
    ("not a url at all", False),
])
def test_a_socket_from_another_process_page_is_admitted_and_no_other_origin(origin, allowed):
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1:5600"}
    assert sibling_origin((5600, 5601), origin, environ) is allowed


def test_the_place_says_who_writes():
    assert Place().writer and not Place().several
    assert Place(index=0, count=3).describe(42) == {"index": 0, "role": "writer", "count": 3, "pid": 42,
                                                     "ports": []}
    assert Place(index=2, count=3, ports=(5600, 5601, 5602)).describe(7)["role"] == "serving"


def _queue(key="k" * 64):
    queue = HallQueue("redis://127.0.0.1:1/0", channel="test", key=key)  # connects only when it publishes
    heard = {"rows": [], "presence": []}
    queue.on_rows = heard["rows"].extend
    queue.on_presence = heard["presence"].append
    return queue, heard


def _message(event, data, host="another-process"):
    return {"method": "emit", "event": event, "data": [data], "namespace": "/", "room": None, "skip_sid": None,
            "callback": None, "host_id": host}


def test_rows_signed_by_the_halls_processes_are_delivered_with_their_audience():
    writer, _ = _queue()
    reader, heard = _queue()
    rows = [{"seq": 7, "type": "stock.changed", "data": {"sku": "P1", "on_hand": 3}, "audience": ["kiosk", "pos"],
             "at": "2026-11-25T12:00:00.000+09:00"}]
    reader._handle_emit(_message(RECORD_EVENTS, writer._signed(rows)))
    assert heard["rows"] == [{**rows[0], "audience": frozenset({"kiosk", "pos"})}]
    assert reader.received == 1


@pytest.mark.parametrize("sealed", [
    {"body": [{"seq": 7, "type": "sale.completed", "data": {}, "audience": ["staff"], "at": ""}], "mac": "0" * 64},
    [{"seq": 7, "type": "sale.completed", "data": {}, "audience": ["staff"], "at": ""}],  # not signed at all
    None,
])
def test_rows_anyone_else_published_on_the_channel_are_dropped(sealed):
    reader, heard = _queue()
    reader._handle_emit(_message(RECORD_EVENTS, sealed))
    assert heard["rows"] == [] and reader.refused == 1


def test_rows_signed_with_another_halls_key_are_dropped_and_presence_too():
    stranger, _ = _queue(key="s" * 64)
    reader, heard = _queue()
    reader._handle_emit(_message(RECORD_EVENTS, stranger._signed([{"seq": 1, "audience": []}])))
    reader._handle_emit(_message(PRESENCE, stranger._signed({"index": 1, "online": ["pos-9"], "last_seen": {}})))
    assert heard == {"rows": [], "presence": []} and reader.refused == 2


def test_a_process_does_not_take_back_its_own_rows():
    queue, heard = _queue()
    queue._handle_emit(_message(RECORD_EVENTS, queue._signed([{"seq": 1, "audience": []}]), host=queue.host_id))
    assert heard["rows"] == []


def test_each_data_folder_has_a_channel_of_its_own(tmp_path):
    assert default_channel(tmp_path / "a") == default_channel(tmp_path / "b" / ".." / "a")
    assert default_channel(tmp_path / "a") != default_channel(tmp_path / "b")


def test_presence_is_every_processs_word_while_it_is_fresh():
    now = [100.0]
    here = {"online": ["pos-1"], "last_seen": {"pos-1": "2026-11-25T12:00:05+09:00",
                                                "pos-2": "2026-11-25T11:00:00+09:00"}}
    presence = Presence(0, lambda: here, clock=lambda: now[0])
    presence.heard({"index": 1, "online": ["pos-2"], "last_seen": {"pos-2": "2026-11-25T12:00:04+09:00"}})
    presence.heard({"index": 0, "online": ["ghost"], "last_seen": {}})  # its own word, back from Redis
    presence.heard(["not", "a", "word"])

    online, last_seen = presence.everywhere()
    assert online == {"pos-1", "pos-2"}  # pos-2 moved to process 1: not offline
    assert last_seen["pos-2"] == "2026-11-25T12:00:04+09:00"  # the later of the two

    now[0] += 3 * TELL_SECONDS + 0.1  # process 1 went quiet: what it said no longer counts
    online, last_seen = presence.everywhere()
    assert online == {"pos-1"} and last_seen["pos-2"] == "2026-11-25T11:00:00+09:00"
