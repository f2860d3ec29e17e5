"""The cluster's three faults, each with an audit in Jepsen's shape: a client sends commands in a loop and keeps
the history of what it was answered, a nemesis breaks one part mid-stream, and a checker compares what every
client saw acknowledged and every screen applied with the final file.

- a serving process SIGKILLed: its screens connect to another process and `sync` from their last seq;
- Redis restarted: screens on the serving process still get every event, once, in order (the log poll covers
  the gap), and what only Redis carries (`presence`) crosses processes again afterwards;
- the writer SIGKILLed: commands to the serving process are answered `writer_unreachable` while it is down,
  nothing acknowledged is lost, and once it is back a retried sale sells once; a writer frozen rather than
  killed is answered for in time too.

Every wait is bounded; 127.0.0.1 only.
"""
import os
import signal
import threading
import time
import uuid

from tests.clusterproc import Screen, head, logged_seqs

# A command is answered within ~5 s even with the writer down (the contract); a little slack on a busy machine.
ANSWER_SECONDS = 8
CALL_TIMEOUT = 15
# How long a till waits for an ack before it calls the hub gone (common/hall.js `command`).
TILL_WAITS_SECONDS = 8
PACE_SECONDS = 0.03
# The load's commands acknowledged before, and again after, each fault.
BEFORE, AFTER = 15, 15


def restock_pen() -> dict:
    return {"sku": "PEN", "qty": 1, "request_id": str(uuid.uuid4())}


def sale_of_a_pen() -> dict:
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
            "payments": [{"method": "cash", "amount": 1100}]}


class Load:
    """One client sending `command` after `command` in a thread until stopped: the history of each payload, what
    it was answered (or the exception the call raised: a hang), when it was sent and how long the answer took."""

    def __init__(self, client, command: str, make):
        self.client, self.command, self.make = client, command, make
        self.history: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "Load":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            payload = self.make()
            sent = time.monotonic()
            try:
                answer = self.client.call(self.command, payload, timeout=CALL_TIMEOUT)
            except Exception as failed:  # noqa: BLE001 (a timeout or a dropped link is history, not a crash)
                answer = {"hung": repr(failed)}
            self.history.append({"payload": payload, "answer": answer, "sent": sent,
                                 "seconds": time.monotonic() - sent})
            self._stop.wait(PACE_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        if not self._thread.is_alive():
            return
        self._thread.join(timeout=CALL_TIMEOUT + 5)
        assert not self._thread.is_alive(), "the load's last command never came back"

    def acked(self) -> list[dict]:
        return [h for h in list(self.history) if h["answer"].get("ok")]

    def wait_acked(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.acked()) >= count, (f"{len(self.acked())} of {count} {self.command}s acknowledged in "
                                            f"{timeout}s; last answers {[h['answer'] for h in self.history[-3:]]}")


def wait_applied(screen: Screen, seq: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while seq not in screen.applied() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert seq in screen.applied(), f"the {screen.role} screen never got seq {seq}; last {screen.applied()[-10:]}"


def audit_screens(cluster, screens: list[Screen]) -> int:
    """Every screen applied every event of its role, once, in order, up to the log's head now; the head."""
    end = head(cluster)
    for screen in screens:
        expected = logged_seqs(cluster, screen.role, screen.start, end)
        if expected:
            wait_applied(screen, expected[-1])
        screen.audit(cluster, end)
    return end


def audit_restocks(cluster, loads: list[Load], on_hand_before: int) -> None:
    """Every restock was acknowledged, each once: the answers count up one unit at a time, and the file holds
    exactly those (one stock.restocked each, on-hand matching). `loads` one after another, never together."""
    answers = [h["answer"] for load in loads for h in load.history]
    assert all(a.get("ok") for a in answers), [a for a in answers if not a.get("ok")][:3]
    assert [a["on_hand"] for a in answers] == list(range(on_hand_before + 1, on_hand_before + 1 + len(answers)))
    store = cluster.read_store()
    try:
        restocks = [e for e in store.events_since(0) if e["type"] == "stock.restocked" and e["data"]["sku"] == "PEN"]
        on_hand = store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0]
    finally:
        store.close()
    assert len(restocks) == len(answers)
    assert on_hand == on_hand_before + len(answers)


def pen_on_hand(cluster) -> int:
    return cluster.scalar("SELECT on_hand FROM products WHERE sku = 'PEN'")


def test_a_serving_process_killed_mid_stream_loses_and_doubles_nothing(cluster, clients):
    screens = [Screen(cluster, "kiosk", f"kiosk-{k}", cluster.url(1)) for k in range(2)]
    screens.append(Screen(cluster, "kiosk", "kiosk-on-the-writer", cluster.url(0)))  # never dropped
    staff = clients(cluster.client("staff", "staff-0", process=0))
    before = pen_on_hand(cluster)
    load = Load(staff, "restock", restock_pen).start()
    try:
        load.wait_acked(BEFORE)
        old_pid = cluster.kill(1)
        for screen in screens[:2]:
            screen.wait_dropped()
        load.wait_acked(len(load.acked()) + 3)  # events the dropped screens missed: their sync must bring them
        for screen in screens[:2]:
            assert screen.next_url() == cluster.url(0)
            screen.reconnect(screen.next_url())  # the next process sync named, which is up
        load.wait_acked(len(load.acked()) + AFTER)
        new_pid = cluster.wait_restarted(1, old_pid)
        # The restarted process serves again on its port: a screen there hears what comes next.
        screens.append(Screen(cluster, "kiosk", "kiosk-after", cluster.url(1)))
        load.wait_acked(len(load.acked()) + AFTER)
    finally:
        load.stop()
        for screen in screens:
            clients(screen)
    assert new_pid != old_pid
    assert cluster.health(1)["process"]["ports"][1] == cluster.ports[1]
    audit_screens(cluster, screens)
    assert all(len(screen.catch_ups) == 1 and screen.catch_ups[0][1] for screen in screens[:2])  # sync gave some
    audit_restocks(cluster, [load], before)


def test_redis_restarted_while_events_flow_screens_hear_every_event_once(cluster, clients):
    screens = [Screen(cluster, "kiosk", f"kiosk-{k}", cluster.url(1)) for k in range(2)]
    watcher = clients(cluster.client("staff", "staff-watching", process=1))
    heard_presence: list[dict] = []
    watcher.sio.on("presence", heard_presence.append)
    staff = clients(cluster.client("staff", "staff-0", process=0))

    def presence_crosses(name: str, timeout: float) -> float:
        """Seconds until staff on process 1 hear a device come online on process 0 (Redis carries it alone)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            device = f"{name}-{len(heard_presence)}-{time.monotonic_ns()}"
            clients(cluster.client("kiosk", device, process=0))
            told = time.monotonic() + 0.5
            while time.monotonic() < told:
                if any(p.get("name") == device and p.get("online") for p in list(heard_presence)):
                    return time.monotonic() - started
                time.sleep(0.02)
        raise AssertionError(f"staff on process 1 heard no presence from process 0 in {timeout}s: "
                             f"{heard_presence[-3:]}; {cluster.log_tails(1500)}")

    presence_crosses("kiosk-before", 10)
    before = pen_on_hand(cluster)
    loads = [Load(staff, "restock", restock_pen).start()]
    try:
        loads[0].wait_acked(BEFORE)
        # Redis down about a second while restocks go on; the last of them is committed before it is back, so
        # only the serving process's poll of the log can bring that tail to its screens.
        cluster.redis.stop()
        down_at = time.monotonic()
        loads[0].wait_acked(len(loads[0].acked()) + 10)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - down_at)))
        loads[0].stop()
        tail = audit_screens(cluster, screens)
        cluster.redis.start()
        loads.append(Load(staff, "restock", restock_pen).start())
        loads[1].wait_acked(AFTER)
        # Redis is back: what only Redis carries crosses processes again, and events go on flowing.
        presence_crosses("kiosk-after", 15)
        loads[1].wait_acked(len(loads[1].acked()) + 5)
    finally:
        for load in loads:
            load.stop()
        for screen in screens:
            clients(screen)
    end = audit_screens(cluster, screens)
    assert end > tail
    assert all(len(screen.links) == 1 for screen in screens)  # their links to process 1 never dropped
    audit_restocks(cluster, loads, before)
    assert loads[1].acked()[-1]["answer"]["on_hand"] == pen_on_hand(cluster)


def test_the_writer_killed_commands_answer_writer_unreachable_and_nothing_acked_is_lost(cluster, clients):
    till = clients(cluster.client("pos", "pos-1", process=1))
    screen = Screen(cluster, "kiosk", "kiosk-1", cluster.url(1))
    clients(screen)
    load = Load(till, "checkout", sale_of_a_pen).start()
    try:
        load.wait_acked(BEFORE)
        with cluster.hold_restarts():  # the supervisor paused: the writer stays down while we look
            old_pid = cluster.kill(0)
            killed_at = time.monotonic()
            deadline = killed_at + 3 * ANSWER_SECONDS
            while time.monotonic() < deadline and len([h for h in load.history if h["sent"] > killed_at]) < 2:
                time.sleep(0.05)
            while_down = [h for h in load.history if h["sent"] > killed_at]
            # Reads need no writer: the serving process answers them from the file meanwhile.
            listing = screen.link.call("catalog", timeout=CALL_TIMEOUT)
            assert listing["ok"] and {p["sku"] for p in listing["products"]} >= {"PEN", "ROBOT"}
            assert len(while_down) >= 2, f"commands sent with the writer down were not answered: {load.history[-3:]}"
            codes_down = [h["answer"].get("error", {}).get("code") for h in while_down]
            assert codes_down == ["writer_unreachable"] * len(while_down), [h["answer"] for h in while_down]
            assert max(h["seconds"] for h in while_down) < ANSWER_SECONDS
        new_pid = cluster.wait_restarted(0, old_pid)
        load.wait_acked(len(load.acked()) + AFTER)
    finally:
        load.stop()

    assert len(screen.links) == 1 and screen.link.sio.connected  # process 1's screens stayed with it throughout
    codes = {h["answer"].get("error", {}).get("code") for h in load.history if not h["answer"].get("ok")}
    assert codes <= {"writer_unreachable"}, [h["answer"] for h in load.history if not h["answer"].get("ok")][:3]
    assert new_pid != old_pid

    # The till sends again, with the same id, what it was not acknowledged; and once more what it was.
    unanswered = [h for h in load.history if not h["answer"].get("ok")]
    for entry in unanswered:
        again = till.call("checkout", entry["payload"], timeout=CALL_TIMEOUT)
        assert again["ok"], again
        entry["retried"] = again
    for entry in [unanswered[0]] + load.acked()[:1]:
        first = entry.get("retried") or entry["answer"]
        assert till.call("checkout", entry["payload"], timeout=CALL_TIMEOUT) == first

    receipts = {h["payload"]["sale_id"]: (h.get("retried") or h["answer"])["sale"]["receipt_no"]
                for h in load.history}
    store = cluster.read_store()
    try:
        stored = dict(store.read_db.execute("SELECT sale_id, receipt_no FROM sales").fetchall())
        on_hand = store.read_db.execute("SELECT on_hand FROM products WHERE sku = 'PEN'").fetchone()[0]
        seqs = [e["seq"] for e in store.events_since(0)]
    finally:
        store.close()
    assert stored == receipts  # every acknowledged sale is in the file, with its receipt, and nothing else
    assert on_hand == 500 - len(stored)  # each sold once
    assert seqs == list(range(1, len(seqs) + 1))
    audit_screens(cluster, [screen])  # process 1's screen heard every event once, across the writer's restart


def test_a_frozen_writer_is_answered_before_the_tills_own_wait_runs_out(cluster, clients):
    """A writer that hangs (a disk that stops answering, SIGSTOP here) is not a killed one: its links stay open,
    so the serving process must stop waiting by itself, and before the till's 8 s wait for an ack does."""
    till = clients(cluster.client("pos", "pos-1", process=1))
    assert till.call("checkout", sale_of_a_pen(), timeout=CALL_TIMEOUT)["ok"]  # a link to the writer is kept
    writer = cluster.pid(0)
    os.kill(writer, signal.SIGSTOP)
    try:
        started = time.monotonic()
        answer = till.call("checkout", sale_of_a_pen(), timeout=CALL_TIMEOUT)
        waited = time.monotonic() - started
    finally:
        os.kill(writer, signal.SIGCONT)
    assert answer["ok"] is False and answer["error"]["code"] == "writer_unreachable", answer
    assert waited < TILL_WAITS_SECONDS, waited
    assert till.call("checkout", sale_of_a_pen(), timeout=CALL_TIMEOUT)["ok"]  # thawed, it takes writes again
