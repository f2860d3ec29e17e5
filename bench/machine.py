"""What else the machine is doing: the benchmarks share two cores with whatever else runs.

Each measurement window records the CPU that processes other than ours used
(`Window.foreign_percent`, in percent of one core), so a figure taken while
something else was busy can be told apart from one taken on a quiet machine.
"""
import os
import threading
import time

import psutil

QUIET_PERCENT = 30      # of one core, used by everything on the machine together
# How long a measurement may wait for the machine to calm down first; the runner sets it per plan.
quiet_wait_seconds = 8.0


def _busy_seconds() -> float:
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + getattr(times, "irq", 0) + getattr(times, "softirq", 0) \
        + getattr(times, "steal", 0)


def _own_seconds() -> float:
    times = psutil.Process(os.getpid()).cpu_times()
    return times.user + times.system


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python workload (best of 5): how fast one core is right now.

    The machine is a VM: the same code takes more CPU when its neighbours are
    busy, and no counter inside it shows that. Figures taken at different
    calibrations are not comparable.
    """
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        table = {}
        for number in range(200_000):
            table[number & 1023] = str(number)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def wait_for_quiet() -> float:
    """Wait (at most `quiet_wait_seconds`) until the machine is nearly idle; returns the last busy percent seen."""
    deadline = time.monotonic() + quiet_wait_seconds
    while True:
        before, started = _busy_seconds(), time.monotonic()
        time.sleep(0.5)
        busy = 100 * (_busy_seconds() - before) / (time.monotonic() - started)
        if busy < QUIET_PERCENT or time.monotonic() >= deadline:
            return round(busy, 1)


class Window:
    """A measured stretch of time: wall seconds and CPU of ours versus everyone else's.

    A sampler thread also notes the foreign CPU of each second, so that a
    stall can be matched with a burst of someone else's work.
    """

    def __init__(self, children):
        self.children = list(children)
        self.started = time.monotonic()
        self.busy = _busy_seconds()
        self.own = _own_seconds()
        self.child_cpu = [child.cpu_seconds() for child in self.children]
        self.by_second: list[float] = []
        self.child_by_second: list[list[int]] = []
        self._closing = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()
        self.result = None

    def _cpu(self) -> list[float]:
        return [child.cpu_seconds() for child in self.children] + [_own_seconds()]

    def _sample(self) -> None:
        busy, cpu, at = _busy_seconds(), self._cpu(), time.monotonic()
        while not self._closing.wait(timeout=max(0.0, at + 1.0 - time.monotonic())):
            busy_now, cpu_now, now = _busy_seconds(), self._cpu(), time.monotonic()
            used = [after - before for after, before in zip(cpu_now, cpu)]
            foreign = max(0.0, (busy_now - busy) - sum(used))
            self.by_second.append(round(100 * foreign / (now - at), 1))
            self.child_by_second.append([round(100 * value / (now - at)) for value in used[:-1]])
            busy, cpu, at = busy_now, cpu_now, now

    def close(self) -> dict:
        self._closing.set()
        self._sampler.join(timeout=5)
        wall = time.monotonic() - self.started
        child_cpu = [child.cpu_seconds() - before for child, before in zip(self.children, self.child_cpu)]
        ours = sum(child_cpu) + _own_seconds() - self.own
        foreign = max(0.0, _busy_seconds() - self.busy - ours)
        self.result = {"wall": wall, "child_cpu": child_cpu,
                       "foreign_percent": round(100 * foreign / wall, 1), "foreign_by_second": self.by_second,
                       "child_cpu_by_second": self.child_by_second}
        return self.result


DISTURBED_PERCENT = 25  # other processes' CPU, in % of one core, above which a window is marked


# Set by the runner: no retry is started after this time.monotonic(), so a busy machine
# cannot stretch a run far past its plan.
retry_deadline = float("inf")


def least_disturbed(measure_once, retries: int) -> dict:
    """Run `measure_once()`; while other processes were busy during it, try again (at most `retries` times).

    Returns the attempt with the least foreign CPU, with "attempts" and "disturbed" added.
    """
    best = measure_once()
    attempts = 1
    while best["foreign_cpu_percent"] > DISTURBED_PERCENT and attempts <= retries \
            and time.monotonic() < retry_deadline:
        again = measure_once()
        attempts += 1
        if again["foreign_cpu_percent"] < best["foreign_cpu_percent"]:
            best = again
    best["attempts"] = attempts
    best["disturbed"] = best["foreign_cpu_percent"] > DISTURBED_PERCENT
    return best
