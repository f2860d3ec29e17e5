"""A hall run as several hub processes (docs/scaling.md): which one this is, the relay of writes to the one
that owns the file, the message queue between them, and the supervisor that keeps them running."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """This process's place in the hall: process 0 owns the file (the writer), the others serve screens and
    forward their writes to it. One process alone is the writer of course."""
    index: int = 0
    count: int = 1
    ports: tuple = field(default_factory=tuple)
    relay_port: int | None = None

    @property
    def writer(self) -> bool:
        return self.index == 0

    @property
    def several(self) -> bool:
        return self.count > 1

    def describe(self, pid: int) -> dict:
        """The `process` block of /api/health."""
        return {"index": self.index, "role": "writer" if self.writer else "serving", "count": self.count,
                "pid": pid, "ports": list(self.ports)}
