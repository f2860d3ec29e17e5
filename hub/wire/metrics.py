"""/metrics for the hall's Prometheus: what an operator watches, in prometheus-client's text format.

Counted where it happens, in the wire: each command's outcome (ok or its error code) and how long its ack
took (sockets.py), each writer batch's size and commit time (handed on by the store's writer, which knows
nothing of this module). Read when scraped, from the hall's own record: screens connected by role, print
jobs waiting per printer, alerts open, offline sales refused and not yet resolved. One registry per hall,
so two hubs in one test process do not count into each other.
"""
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder

from ..errors import HallError
from ..rules import sessions

LOOPBACK = {"127.0.0.1", "::1"}
# An ack is a commit (a few ms) on a good day; a disk in trouble holds it for seconds.
ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
# Commands a device may send again from its own record after being offline: a replay, not a live sale.
REPLAYED = {"checkout", "check_in", "shift_open", "shift_close"}
ROLES = ("kiosk", "pos", "staff", "scanner")


class Metrics:
    def __init__(self, hall):
        self.registry = CollectorRegistry()
        self.commands = Counter("hall_commands", "Commands answered, by command and outcome (ok or the error code)",
                                ["command", "outcome"], registry=self.registry)
        self.ack_seconds = Histogram("hall_ack_seconds", "Time from a command's arrival to its ack",
                                     ["command"], buckets=ACK_BUCKETS, registry=self.registry)
        self.replays = Counter("hall_offline_replays", "Work done offline and sent when the link came back,"
                               " by command and outcome", ["command", "outcome"], registry=self.registry)
        self.batch_size = Histogram("hall_writer_batch_commands", "Commands committed together by the writer",
                                    buckets=BATCH_BUCKETS, registry=self.registry)
        self.commit_seconds = Histogram("hall_writer_commit_seconds", "Time the writer took to run and commit"
                                        " one batch", buckets=ACK_BUCKETS, registry=self.registry)
        self.registry.register(_Record(hall))

    def answered(self, command: str, payload, ack: dict, seconds: float) -> None:
        """One command's ack, as sockets.py sends it."""
        outcome = "ok" if ack.get("ok") else ack.get("error", {}).get("code", "unknown")
        self.commands.labels(command, outcome).inc()
        self.ack_seconds.labels(command).observe(seconds)
        if command in REPLAYED and isinstance(payload, dict) and any(
                payload.get(claim) for claim in ("offline_at", "opened_at", "closed_at")):
            self.replays.labels(command, outcome).inc()

    def batch(self, size: int, seconds: float) -> None:
        """One writer batch, as the writer hands it on."""
        self.batch_size.observe(size)
        self.commit_seconds.observe(seconds)

    def page(self, accept: str) -> tuple[bytes, str]:
        """The figures in the format the scraper asks for (Prometheus' text, or OpenMetrics), and its type."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class _Record:
    """Gauges read from the hall when Prometheus scrapes: nothing to keep in step between scrapes."""

    def __init__(self, hall):
        self.hall = hall

    def describe(self):
        return []  # read only when scraped: describing would read the record at registration

    def collect(self):
        hall = self.hall
        screens = GaugeMetricFamily("hall_screens_connected", "Screens connected now, by role", labels=["role"])
        counts = dict.fromkeys(ROLES, 0)
        for device in hall.connections.devices():
            counts[device["role"]] = counts.get(device["role"], 0) + 1
        for role, count in counts.items():
            screens.add_metric([role], count)
        yield screens

        db = hall.store.read_db
        queue = GaugeMetricFamily("hall_print_queue_depth", "Print jobs waiting, by printer", labels=["printer"])
        waiting = dict.fromkeys(hall.printers, 0)
        waiting.update(db.execute("SELECT printer, COUNT(*) FROM print_jobs WHERE state = 'queued'"
                                  " GROUP BY printer").fetchall())
        for printer, count in sorted(waiting.items()):
            queue.add_metric([printer], count)
        yield queue

        alerts = GaugeMetricFamily("hall_alerts_open", "Alerts raised and not yet acknowledged, by kind",
                                   labels=["kind"])
        for kind, count in db.execute("SELECT kind, COUNT(*) FROM alerts WHERE acked_at IS NULL GROUP BY kind"):
            alerts.add_metric([kind], count)
        yield alerts

        refused = db.execute("SELECT COUNT(*) FROM replay_failures WHERE resolved_at IS NULL").fetchone()[0]
        yield GaugeMetricFamily("hall_offline_sales_refused_open", "Offline sales the hub refused, waiting for"
                                " staff to resolve", value=refused)


def allowed(db, now, remote_addr: str | None, authorization: str) -> None:
    """The figures are for this machine and for staff signed in: raises `unauthorized` for anyone else."""
    if remote_addr in LOOPBACK:
        return
    token = authorization[7:] if authorization.startswith("Bearer ") else None
    if sessions.person_of(db, token, now=now) is None:
        raise HallError("unauthorized", "send a signed-in staff session token as 'Authorization: Bearer TOKEN',"
                                        " or read /metrics on the hub's own machine")
