"""Tries counted per address in a sliding minute: past the limit an address waits, and staff hear of it once.

Used for pairing codes: a code is short enough to type, so what protects it is that nobody can guess many.
Kept in the running hub's memory (an address's tries matter for a minute, not across a restart).
"""
import time
from collections import defaultdict, deque


class Throttle:
    def __init__(self, tries: int, window: float = 60.0, clock=time.monotonic):
        self._tries = tries
        self._window = window
        self._clock = clock
        self._failures: dict[str, deque] = defaultdict(deque)

    def _recent(self, address: str) -> deque:
        failures = self._failures[address]
        horizon = self._clock() - self._window
        while failures and failures[0] <= horizon:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return deque()
        return failures

    def wait(self, address: str) -> float:
        """Seconds `address` must wait before its next try (0: it may try now)."""
        failures = self._recent(address)
        if len(failures) < self._tries:
            return 0.0
        return max(0.0, failures[0] + self._window - self._clock())

    def failed(self, address: str) -> bool:
        """Count a failed try; True when this one used up the address's tries (tell staff, once)."""
        failures = self._recent(address)
        failures.append(self._clock())
        self._failures[address] = failures
        return len(failures) == self._tries


class TokenBuckets:
    """Commands per minute for each of many senders (visitors' phones): a burst of `per_minute`, then one every
    60/per_minute seconds. In memory, like Throttle: a phone's pace matters now, not across a restart. Kept
    after a phone disconnects, so reconnecting does not refill it."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self._size = float(per_minute)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # sender -> (tokens left, when counted)

    def take(self, sender: str) -> float:
        """Take one token: 0 when `sender` may go on, else the seconds until its next token."""
        now = self._clock()
        tokens, then = self._buckets.get(sender, (self._size, now))
        tokens = min(self._size, tokens + (now - then) * self._rate)
        if tokens < 1:
            self._buckets[sender] = (tokens, now)
            return (1 - tokens) / self._rate
        self._buckets[sender] = (tokens - 1, now)
        return 0.0
