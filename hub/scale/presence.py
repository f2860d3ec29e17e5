"""Which of the hall's devices each process holds, told to the others: a device that moved to another process is
neither offline nor silent (the staff screen's device list, the silent-terminal watch)."""
import logging
import time

import gevent

log = logging.getLogger(__name__)

# How often a process tells the others; a word older than three of these is from a process that has gone (its
# screens are elsewhere or nowhere).
TELL_SECONDS = 2.0


class Presence:
    def __init__(self, index: int, here, queue=None, *, clock=time.monotonic):
        """`here()` is this process's own {"online": [names], "last_seen": {name: iso}}; `queue` the HallQueue
        it tells the others through, or None for a hall of one process."""
        self._index = index
        self._clock = clock
        self._here = here
        self._queue = queue
        self._elsewhere: dict[int, tuple[float, dict]] = {}  # process index -> (when heard, its word)
        if queue is not None:
            queue.on_presence = self.heard

    def everywhere(self) -> tuple[set[str], dict[str, str]]:
        """(names online, name -> last heard) across every process of the hall."""
        here = self._here()
        online, last_seen = set(here["online"]), dict(here["last_seen"])
        fresh_after = self._clock() - 3 * TELL_SECONDS
        for heard_at, word in list(self._elsewhere.values()):
            if heard_at < fresh_after:
                continue
            online.update(word["online"])
            for name, seen in word["last_seen"].items():
                if seen > last_seen.get(name, ""):
                    last_seen[name] = seen
        return online, last_seen

    def heard(self, word) -> None:
        if isinstance(word, dict) and isinstance(word.get("index"), int) and word["index"] != self._index:
            self._elsewhere[word["index"]] = (self._clock(), word)

    def tell_forever(self) -> None:
        while True:
            gevent.sleep(TELL_SECONDS)
            try:
                self._queue.publish_presence({"index": self._index, **self._here()})
            except Exception:
                log.exception("telling the other processes this one's screens failed")
