"""The single writer: concurrent callers share commits, each hears its own answer, events leave in order."""
import gevent

from hub.rules import inventory
from hub.wire import payloads
from hub.store.writer import Writer
from tests.conftest import NOON
from tests.greenlets import in_own_hub

CALLERS = 20


def restock_pen(writer):
    return writer.submit(inventory.restock, payloads.restock({"sku": "PEN", "qty": 1}), device="staff-1")


class SwitchingPool:
    """The writer's pool, switching greenlets in spawn as gevent's ThreadPool may when it is busy."""

    def __init__(self, pool):
        self._pool = pool

    def spawn(self, *args, **kwargs):
        gevent.sleep(0)  # other callers come in meanwhile
        return self._pool.spawn(*args, **kwargs)

    def kill(self):
        self._pool.kill()


def on_hand(store, sku):
    return store.read_db.execute("SELECT on_hand FROM products WHERE sku = ?", [sku]).fetchone()[0]


def test_callers_that_arrive_while_a_drain_is_being_scheduled_all_get_their_answers(store):
    in_own_hub(callers_arriving_while_a_drain_is_scheduled, store)


def callers_arriving_while_a_drain_is_scheduled(store):
    handed_on = []
    writer = Writer(store, lambda: NOON, on_commit=handed_on.append)
    writer._pool = SwitchingPool(writer._pool)
    try:
        callers = [gevent.spawn(restock_pen, writer) for _ in range(CALLERS)]
        gevent.joinall(callers, timeout=20)
        assert all(caller.successful() for caller in callers), [c.exception for c in callers]
        assert sorted(caller.value[0]["on_hand"] for caller in callers) == list(range(501, 501 + CALLERS))
        assert on_hand(store, "PEN") == 500 + CALLERS
    finally:
        writer.close()


def test_each_commit_is_handed_on_once_and_in_seq_order(store):
    in_own_hub(commits_handed_on_in_order, store)


def commits_handed_on_in_order(store):
    handed_on = []
    writer = Writer(store, lambda: NOON, on_commit=handed_on.append)
    before = store.head()
    try:
        callers = [gevent.spawn(restock_pen, writer) for _ in range(CALLERS)]
        gevent.joinall(callers, timeout=20)
        assert all(caller.successful() for caller in callers)
    finally:
        writer.close()
    seqs = [row["seq"] for rows in handed_on for row in rows]
    assert seqs == list(range(before + 1, store.head() + 1))
    assert len(handed_on) < CALLERS  # shared commits: fewer hand-ons than callers


def test_the_rehearsals_slow_disk_sleeps_before_each_commit_only_while_its_file_is_there(store, tmp_path,
                                                                                       monkeypatch):
    from hub.store import writer as writer_module
    control = tmp_path / "slow-disk"
    slept = []
    monkeypatch.setattr(writer_module, "SLOW_DISK_FILE", str(control))
    monkeypatch.setattr(writer_module, "_pause", slept.append)
    in_own_hub(slow_disk_commits, store, control, slept)


def slow_disk_commits(store, control, slept):
    writer = Writer(store, lambda: NOON)
    try:
        restock_pen(writer)
        assert slept == []
        control.write_text("150")
        restock_pen(writer)
        assert slept == [0.15]
        control.unlink()
        restock_pen(writer)
        assert slept == [0.15] and on_hand(store, "PEN") == 503
    finally:
        writer.close()
