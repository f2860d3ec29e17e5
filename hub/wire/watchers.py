"""What each visitor's phone watches, and its changes merged into at most one push per interval.

A phone is in no role's room: an event reaches it only through here, so 5,000 phones cost the hub nothing
for a product none of them shows. Two indexes (sku -> phones, slot -> phones) are fed by the committed events
as the hub delivers them; a phone's changes wait in one merged record (the latest value of each product or
session wins) until its interval since the last push has passed. The first change after a quiet interval goes
out with the delivery round that carries it.

Process-local on purpose: each serving process keeps the phones connected to it and is fed by the same event
stream (issue 17 runs several behind Redis). No gevent here: the hall's one flusher greenlet asks `ready`.
"""
import heapq
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Phone:
    skus: frozenset = frozenset()
    slots: frozenset = frozenset()
    since: int = 0            # the seq its last `watch` ack was read at: older news is already in that ack
    last_sent: float = float("-inf")
    pending: dict | None = None
    due: float | None = None  # when its pending changes may go, while they wait


@dataclass
class Coalescer:
    interval: float
    _phones: dict = field(default_factory=dict)
    _by_sku: dict = field(default_factory=dict)
    _by_slot: dict = field(default_factory=dict)
    _starts: dict = field(default_factory=dict)
    # When pushes come due: a heap of distinct times, and the phones due at each. Phones that heard the same
    # change, or were sent in the same round, share one time, so thousands of them cost one heap entry rather
    # than a heap that orders them by id.
    _due: list = field(default_factory=list)
    _due_at: dict = field(default_factory=dict)
    pushed: int = 0  # pushes handed out, for /api/health

    def watch(self, sid: str, skus, slots, *, since: int, starts: dict) -> None:
        """Replace what `sid` watches; its ack (read at `since`) holds the current values, so nothing waits."""
        phone = self._phones.get(sid) or self._phones.setdefault(sid, _Phone())
        self._unindex(sid, phone)
        phone.skus, phone.slots, phone.since = frozenset(skus), frozenset(slots), since
        phone.pending, phone.due = None, None
        for sku in phone.skus:
            self._by_sku.setdefault(sku, set()).add(sid)
        for slot_id in phone.slots:
            self._by_slot.setdefault(slot_id, set()).add(sid)
        self._starts.update(starts)  # a session's start never changes: kept from the first read

    def forget(self, sid: str) -> None:
        phone = self._phones.pop(sid, None)
        if phone is not None:
            self._unindex(sid, phone)

    def _unindex(self, sid: str, phone: _Phone) -> None:
        for index, keys in ((self._by_sku, phone.skus), (self._by_slot, phone.slots)):
            for key in keys:
                watching = index.get(key)
                if watching is not None:
                    watching.discard(sid)
                    if not watching:
                        del index[key]

    def feed(self, row: dict, now: float) -> None:
        """Note a committed event for every phone watching what it changed."""
        data = row["data"]
        if row["type"] == "stock.changed":
            part, key, sids = "stock", data["sku"], self._by_sku.get(data["sku"])
            value = {"on_hand": data["on_hand"], "available": data["available"]}
        elif row["type"] == "slot.changed":
            part, key, sids = "slots", data["slot_id"], self._by_slot.get(data["slot_id"])
            value = {"capacity": data["capacity"], "booked": data["booked"], "available": data["available"],
                     "starts_at": self._starts.get(data["slot_id"])}
        else:
            return
        if not sids:
            return
        # The hot loop at a busy hall (hundreds of phones per product): names bound once.
        seq, phones, interval, schedule = row["seq"], self._phones, self.interval, self._schedule
        for sid in sids:
            phone = phones[sid]
            if seq <= phone.since:
                continue
            pending = phone.pending
            if pending is None:
                pending = phone.pending = {"seq": seq, "stock": {}, "slots": {}}
                phone.due = schedule(max(now, phone.last_sent + interval), sid)
            pending[part][key] = value
            pending["seq"] = seq

    def _schedule(self, due: float, sid: str) -> float:
        waiting = self._due_at.get(due)
        if waiting is None:
            waiting = self._due_at[due] = []
            heapq.heappush(self._due, due)
        waiting.append(sid)
        return due

    def ready(self, now: float) -> list[tuple[str, dict]]:
        """(sid, push) for each phone whose changes may go now; each is then quiet for an interval."""
        out = []
        phones, interval = self._phones, self.interval
        while self._due and self._due[0] <= now:
            due = heapq.heappop(self._due)
            for sid in self._due_at.pop(due):
                phone = phones.get(sid)
                if phone is None or phone.pending is None or phone.due != due:
                    continue  # gone, re-watched or already sent: a stale entry
                if phone.last_sent + interval > now:
                    # Its last push left later than it was handed out (see `sent`): the interval counts from then.
                    phone.due = self._schedule(phone.last_sent + interval, sid)
                    continue
                out.append((sid, phone.pending))
                phone.pending, phone.due, phone.last_sent = None, None, now
        self.pushed += len(out)
        return out

    def sent(self, sids, now: float) -> None:
        """The pushes of `sids` left only now (a busy hub sends a long list in chunks): count their interval
        from here, so no phone hears twice within one."""
        phones = self._phones
        for sid in sids:
            phone = phones.get(sid)
            if phone is not None:
                phone.last_sent = now

    def next_due(self) -> float | None:
        """When the earliest waiting push may go (stale times are dropped on the way)."""
        while self._due:
            due = self._due[0]
            phones = self._phones
            for sid in self._due_at[due]:
                phone = phones.get(sid)
                if phone is not None and phone.due == due:
                    return due
            heapq.heappop(self._due)
            del self._due_at[due]
        return None

    def __len__(self) -> int:
        return len(self._phones)
