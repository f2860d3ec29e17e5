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
