"""The coalescer behind the `changes` push (hub/wire/watchers.py), on its own: what a phone hears is what it
watches, the latest value of each wins, no phone hears twice within an interval, and a change after a quiet
interval goes at once. No hub and no clock: time is a number the test moves."""
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.wire.watchers import Coalescer

INTERVAL = 0.25
SKUS = ["A", "B", "C", "D"]
PHONES = ["p1", "p2", "p3"]


def stock_row(seq: int, sku: str, on_hand: int) -> dict:
    return {"seq": seq, "type": "stock.changed", "data": {"sku": sku, "on_hand": on_hand, "available": on_hand}}


def slot_row(seq: int, slot_id: str, booked: int) -> dict:
    return {"seq": seq, "type": "slot.changed", "data": {"slot_id": slot_id, "demo_id": "X", "capacity": 10,
                                                        "booked": booked, "checked_in": 0,
                                                        "available": 10 - booked, "released_at": None}}


def test_a_phone_hears_only_what_it_watches_from_after_its_ack():
    hub = Coalescer(INTERVAL)
    hub.watch("p1", ["A"], ["S1"], since=10, starts={"S1": "2026-11-25T14:00+09:00"})
    hub.watch("p2", ["B"], [], since=10, starts={})
    hub.feed(stock_row(9, "A", 1), 0.0)  # already in p1's ack
    hub.feed(stock_row(11, "A", 2), 0.0)
    hub.feed(slot_row(12, "S1", 3), 0.0)
    hub.feed({"seq": 13, "type": "sale.completed", "data": {}}, 0.0)
    assert hub.ready(0.0) == [("p1", {"seq": 12, "stock": {"A": {"on_hand": 2, "available": 2}},
                                      "slots": {"S1": {"capacity": 10, "booked": 3, "available": 7,
                                                       "starts_at": "2026-11-25T14:00+09:00"}}})]
    assert hub.next_due() is None


def test_a_forgotten_phone_hears_nothing_and_leaves_no_index():
    hub = Coalescer(INTERVAL)
    hub.watch("p1", ["A"], [], since=0, starts={})
    hub.feed(stock_row(1, "A", 1), 0.0)
    hub.forget("p1")
    assert hub.ready(1.0) == [] and hub.next_due() is None
    assert len(hub) == 0 and not hub._by_sku


# One step: a change of one product at some time after the last step, then the hub's delivery round ends.
steps = st.lists(st.tuples(st.floats(min_value=0, max_value=0.6), st.sampled_from(SKUS),
                           st.integers(min_value=0, max_value=1000)), min_size=1, max_size=60)
watching = st.fixed_dictionaries({phone: st.sets(st.sampled_from(SKUS), min_size=1) for phone in PHONES})


@settings(max_examples=200, deadline=None)
@given(watching, steps)
def test_merged_pushes_end_at_the_last_value_at_most_one_per_interval_the_first_at_once(watched, changes):
    hub = Coalescer(INTERVAL)
    for phone, skus in watched.items():
        hub.watch(phone, sorted(skus), [], since=0, starts={})
    heard = {phone: [] for phone in PHONES}  # (time, push)
    last = {}
    now, seq = 0.0, 0
    for gap, sku, value in changes:
        # The flusher wakes whenever a push is due, so time never jumps past one unsent.
        while (due := hub.next_due()) is not None and due <= now + gap:
            for phone, push in hub.ready(due):
                heard[phone].append((due, push))
        now += gap
        seq += 1
        quiet = {p for p in PHONES if sku in watched[p] and (not heard[p] or heard[p][-1][0] <= now - INTERVAL)
                 and hub._phones[p].pending is None}
        hub.feed(stock_row(seq, sku, value), now)
        last[sku] = value
        sent = hub.ready(now)  # the end of the delivery round that carried this change
        for phone, push in sent:
            heard[phone].append((now, push))
        assert quiet <= {phone for phone, _ in sent}  # a change after a quiet interval goes at once
    while (due := hub.next_due()) is not None:
        for phone, push in hub.ready(due):
            heard[phone].append((due, push))
    for phone, pushes in heard.items():
        times = [at for at, _ in pushes]
        assert all(later - earlier >= INTERVAL - 1e-9 for earlier, later in zip(times, times[1:]))
        shown = {}
        for _, push in pushes:
            assert set(push["stock"]) <= watched[phone]
            shown.update(push["stock"])
        assert shown == {sku: {"on_hand": v, "available": v} for sku, v in last.items() if sku in watched[phone]}
        seqs = [push["seq"] for _, push in pushes]
        assert seqs == sorted(seqs)
