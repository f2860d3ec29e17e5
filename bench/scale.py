"""Several hub processes (issue 17): one process against a cluster of two through Redis, in one run.

  python -m bench scale [--quick] [--listeners 200] [--tills 8] [--out FILE]
  python -m bench scale --quick --listeners 20 --tills 2      the tiny form the test runs

Measured side by side on 127.0.0.1, each hub from a fresh data folder with the same devices minted:

a. stock events at 50 a second (a staff screen's `restock`, as bench/push.py sends them) to --listeners kiosk
   listeners per hub process (socket.io-client in Node, one worker process per hub process): (i) one process
   without Redis; (ii) `run_hall.py --processes 2 --redis URL` (writer + one serving process) with a
   redis-server of the run's own, --listeners on each process's own port. The staff screen sends to the
   writer (process 0) in both, so the two differ only in how an event reaches the screens. Hub CPU per
   delivery = every hub process's CPU + redis-server's (psutil, the whole window) / deliveries, in all and
   each apart; the listeners' CPU apart (on two cores they compete with the hub).
b. durable checkouts from --tills tills (bench/checkouts.py's Node tills): the one-process rate against the
   same tills all on the serving process (index 1), whose every `checkout` is forwarded to the writer. Tills
   selling back to back make the rate the tills over the ack time; the full run adds --more-tills (32), where
   the hub rather than the wait between sales sets the rate.
c. the front door: (ii) again, but every listener reaching the cluster through Debian's nginx (one worker,
   `least_conn` over the two ports) instead of each process's own port; nginx's CPU per delivery apart.
d. a model: deliveries a second against cores (1..8) from the measured CPU per delivery.

Every child (hubs, redis-server, nginx, client workers) is started and stopped here by its pid, every window
and wait is bounded, and an interrupt (Ctrl-C, SIGTERM) still stops them all.
"""
import argparse
import asyncio
import json
import shutil
import signal
import sys
import time
from pathlib import Path

import psutil
from tests.redisproc import RedisServer

from . import checkouts, machine
from .hubproc import Child, Hub, Running, free_port, remove, scratch_dir, wait_http
from .machine import DISTURBED_PERCENT, calibrate, least_disturbed
from .phones import hall_config
from .push import measure_groups
from .report import _quiet, _rows, save_run

RESULTS = Path(__file__).resolve().parent / "results"
RATE = 50       # stock events per second, as `python -m bench`'s push section
CLIENT = "js"   # socket.io-client, the screens' own library, and the cheapest listener per event here
GOALS = {"cpu_ratio": 1.3, "p99_ratio": 1.5, "checkout_ratio": 0.80}
CORES = range(1, 9)
# A run whose median delivery took longer than this was backlogged (hub/hall.py delivers up to DELIVERY_ROUND
# queued batches to each screen in one send): its CPU per delivery is not the steady state's.
BACKLOG_P50_MS = 100.0

PLANS = {
    # a few minutes on two cores: each window may be taken again once when others' work disturbed it
    "full": {"push_s": 10, "checkout_s": 6, "retries": 1, "retry_until_s": 200, "quiet_wait_s": 3,
             "more_tills": True},
    # about a minute
    "quick": {"push_s": 4, "checkout_s": 3, "retries": 0, "retry_until_s": 0, "quiet_wait_s": 1,
              "more_tills": False},
}

# The front door. Screens here speak websocket only (one TCP connection per screen from the first request), so
# nginx needs no sticky sessions: least_conn spreads whole sessions. Long-polling would need ip_hash or a
# cookie, since its requests of one session must all reach the same process.
NGINX_CONF = """daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream hall {{
        least_conn;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://hall;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 1h;
            proxy_buffering off;
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx (`sh scripts/system-packages.sh nginx-light`) on a free loopback port in front of
    `ports`, its configuration and logs in `folder`; `meter()` is its master's and worker's CPU."""

    def __init__(self, ports: list[int], folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(NGINX_CONF.format(
            folder=self.folder, port=self.port,
            servers="\n".join(f"        server 127.0.0.1:{port};" for port in ports)))
        self.child: Child | None = None

    def __enter__(self) -> "Nginx":
        binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
        if binary is None:
            raise RuntimeError("nginx is not installed: sh scripts/system-packages.sh nginx-light")
        self.child = Child([binary, "-c", str(self.conf), "-p", str(self.folder), "-e", str(self.folder / "error.log")],
                           self.folder / "nginx.log")
        wait_http(self.url + "/api/health", self.child)
        return self

    def meter(self) -> Running:
        return Running(self.child.pid, tree=True)

    def __exit__(self, *exc) -> None:
        if self.child:
            self.child.stop()


def _push(hub: Hub, driver_url: str, groups: list[tuple[str, str]], meters: list, args, plan, folder: Path,
          probe=None) -> dict:
    """(label, url) groups of --listeners each, one listener process apiece; the tokens do not overlap."""
    laid = [(label, url, args.listeners, index * args.listeners) for index, (label, url) in enumerate(groups)]
    return least_disturbed(lambda: measure_groups(
        driver_url, "hub", laid, servers=meters, folder=folder, seconds=plan["push_s"], rate=RATE,
        tokens_file=hub.tokens_file, driver_auth={"token": hub.tokens["staff"][0]}, client=CLIENT, probe=probe),
        plan["retries"])


def _checkouts(hub: Hub, url: str, meters: list, args, plan, folder: Path, products_file: Path) -> list[dict]:
    """One run per till count: --tills, and --more-tills in the full run."""
    counts = [args.tills] + ([args.more_tills] if plan["more_tills"] and args.more_tills != args.tills else [])
    return [least_disturbed(lambda: checkouts._through_hub_once(
        hub, tills, plan["checkout_s"], folder, products_file, CLIENT, url=url, servers=meters), plan["retries"])
        for tills in counts]


def _connections(ports: list[int]) -> list[int]:
    """Open TCP connections into each port now, from the kernel's table: how many screens each hub process holds
    (through nginx: how least_conn spread them), whatever a process's own count means in a cluster."""
    held = {port: 0 for port in ports}
    for link in psutil.net_connections(kind="tcp4"):
        if link.status == psutil.CONN_ESTABLISHED and link.laddr and link.laddr.port in held:
            held[link.laddr.port] += 1
    return [held[port] for port in ports]


def measure(args, plan: dict, say) -> dict:
    machine.retry_deadline = time.monotonic() + plan["retry_until_s"]
    machine.quiet_wait_seconds = plan["quiet_wait_s"]
    folder = scratch_dir("scale-clients")
    devices = {"kiosk": 2 * args.listeners, "staff": 1, "pos": max(args.tills, args.more_tills)}
    products = checkouts.bench_products()
    products_file = folder / "products.json"
    products_file.write_text(json.dumps(products))
    results: dict = {}
    try:
        # Every screen of the bench comes from 127.0.0.1 (and through nginx too): room for them all from one address.
        config = hall_config(2 * args.listeners)
        with Hub("scale-one", devices, config=config) as hub:
            asyncio.run(checkouts._restock(hub.url, hub.tokens["staff"][0], products))
            say(f"(i) one process, no Redis: {args.listeners} listeners, {RATE} events/s, {plan['push_s']} s")
            one = {"push": _push(hub, hub.url, [("process 0", hub.url)], [hub.child], args, plan, folder)}
            say(f"(b) one process: tills selling for {plan['checkout_s']} s")
            one["checkouts"] = _checkouts(hub, hub.url, [hub.child], args, plan, folder, products_file)
        one["hub_log_problems"] = hub.log_problems[:20]
        results["one"] = one
        with RedisServer() as redis:
            say(f"redis-server on port {redis.port}; starting the cluster of 2")
            with Hub("scale-two", devices, config=config, processes=2, redis=redis.url) as cluster:
                processes = cluster.processes()
                meters = processes + [Running(redis.process.pid)]
                two: dict = {"ports": cluster.ports, "pids": [process.pid for process in processes],
                             "redis_pid": redis.process.pid}
                asyncio.run(checkouts._restock(cluster.url, cluster.tokens["staff"][0], products))
                say(f"(ii) two processes + Redis: {args.listeners} listeners on each process's own port")
                two["push"] = _push(cluster, cluster.url, [("writer", cluster.urls[0]), ("serving", cluster.urls[1])],
                                    meters, args, plan, folder, probe=lambda: _connections(cluster.ports))
                say("(c) the same through nginx (least_conn over the two ports)")
                with Nginx(cluster.ports, folder / "nginx") as nginx:
                    two["nginx_pid"] = nginx.child.pid
                    two["nginx"] = _push(cluster, cluster.url, [("nginx a", nginx.url), ("nginx b", nginx.url)],
                                         meters + [nginx.meter()], args, plan, folder,
                                         probe=lambda: _connections(cluster.ports))
                say("(b) two processes: the same tills on the serving process (index 1)")
                two["checkouts"] = _checkouts(cluster, cluster.urls[1], meters, args, plan, folder, products_file)
                two["alive_at_end"] = [process.ps.is_running() for process in processes]
            two["hub_log_problems"] = cluster.log_problems[:20]
        results["two"] = two
    finally:
        remove(folder)
    results["cpu"] = cpu_split(results)
    results["model"] = model(results["cpu"])
    return results


def _own_us(run: dict, index: int) -> float | None:
    """CPU of server `index` per delivery to its own listeners (group `index`), in microseconds."""
    delivered = run["groups"][index]["delivered_in_window"]
    cpu_s = run["servers_cpu_percent"][index] * run["window_s"] / 100
    return round(1e6 * cpu_s / delivered, 1) if delivered else None


def cpu_split(results: dict) -> dict:
    """Per delivery (us): each part of each layout, and the model's inputs (see `model`)."""
    one, direct, front = results["one"]["push"], results["two"]["push"], results["two"]["nginx"]
    events = direct["events_sent"] + direct["warmup_events"]
    writer_cpu_s, serving_cpu_s, redis_cpu_s = (pct * direct["window_s"] / 100
                                                for pct in direct["servers_cpu_percent"])
    serving_us = _own_us(direct, 1)
    writer_deliveries = direct["groups"][0]["delivered_in_window"]
    # The writer's work per event beyond delivering it (the commit, the publish), taking its deliveries at
    # the serving process's price.
    writer_event_us = (1e6 * writer_cpu_s - (serving_us or 0) * writer_deliveries) / max(1, events)
    # One process does the same work per event (less the publish): what is left of its CPU is its deliveries'.
    one_events = one["events_sent"] + one["warmup_events"]
    one_delivered = one["groups"][0]["delivered_in_window"]
    one_cpu_us = 1e6 * one["servers_cpu_percent"][0] * one["window_s"] / 100
    one_delivery_us = (one_cpu_us - max(0.0, writer_event_us) * one_events) / one_delivered if one_delivered else 0
    return {
        "one_us": one["server_cpu_us_per_delivery"],
        "two_us": direct["server_cpu_us_per_delivery"],
        "two_parts_us": dict(zip(("writer", "serving", "redis"), direct["servers_cpu_us_per_delivery"])),
        "nginx_total_us": front["server_cpu_us_per_delivery"],
        "nginx_parts_us": dict(zip(("writer", "serving", "redis", "nginx"), front["servers_cpu_us_per_delivery"])),
        "writer_own_us": _own_us(direct, 0), "serving_own_us": serving_us,
        "writer_event_us": round(writer_event_us, 1),
        "one_delivery_us": round(one_delivery_us, 1) if one_delivery_us > 0 else None,
        "redis_event_us": round(1e6 * redis_cpu_s / max(1, events), 1),
        "nginx_us": front["servers_cpu_us_per_delivery"][3],
        "events_per_s": RATE,
    }


def model(cpu: dict) -> list[dict]:
    """Deliveries a second that `cores` cores sustain at RATE events/s, one hub process per core.

    Each event costs the writer `writer_event_us` (its commit; the publish too with several processes) and
    Redis `redis_event_us` times N/2 (measured with two subscribers; a publish is sent to each); each delivery
    costs `serving_own_us` wherever it is made, or `one_delivery_us` in a hub of one process (what is left of
    its CPU once the same per-event work is taken off; the measured total per delivery when nothing is left).
    N cores run the writer and N-1 serving processes; a process is one core at most (the GIL), so the writer
    carries fewer screens. Counts no listener CPU (screens are other machines); the cores are the hall's own.
    """
    rows = []
    if not (cpu["one_us"] and cpu["serving_own_us"]):
        return rows
    event_us = max(0.0, cpu["writer_event_us"])
    one_delivery_us = cpu.get("one_delivery_us") or cpu["one_us"]
    one_process = max(0.0, 1e6 - RATE * event_us) / one_delivery_us if cpu.get("one_delivery_us") \
        else 1e6 / cpu["one_us"]
    for cores in CORES:
        if cores == 1:
            deliveries, fixed_us = one_process, (RATE * event_us if cpu.get("one_delivery_us") else 0.0)
        else:
            fixed_us = RATE * (event_us + cpu["redis_event_us"] * cores / 2)
            deliveries = max(0.0, cores * 1e6 - fixed_us) / cpu["serving_own_us"]
        via_nginx = None
        if cores > 1 and cpu["nginx_us"]:
            # nginx's one worker is a core at most too, and its work comes out of the same cores
            via_nginx = min(max(0.0, cores * 1e6 - fixed_us) / (cpu["serving_own_us"] + cpu["nginx_us"]),
                            1e6 / cpu["nginx_us"])
        rows.append({"cores": cores, "processes": cores, "deliveries_per_s": round(deliveries),
                     "screens_at_rate": round(deliveries / RATE),
                     "vs_one_process_times_cores": round(deliveries / (cores * one_process), 2),
                     "writer_and_redis_share": round(fixed_us / (cores * 1e6), 3),
                     "via_nginx_per_s": round(via_nginx) if via_nginx is not None else None})
    return rows


def _ratio(a, b) -> float | None:
    return round(a / b, 2) if a and b else None


def goals(results: dict) -> list[dict]:
    one, two, cpu = results["one"], results["two"], results["cpu"]
    cpu_ratio = _ratio(cpu["two_us"], cpu["one_us"])
    base_p99 = one["push"]["latency"]["p99_ms"]
    worst = max((group["latency"]["p99_ms"] or float("inf") for group in two["push"]["groups"]), default=None)
    p99_ratio = _ratio(worst, base_p99)
    sales = _ratio(two["checkouts"][0]["rate_per_s"], one["checkouts"][0]["rate_per_s"])
    lost = one["push"]["lost"] + two["push"]["lost"] + two["nginx"]["lost"]
    found = [
        {"goal": f"hub CPU per delivery, 2 processes + Redis / 1 process <= {GOALS['cpu_ratio']}",
         "measured": f"{cpu['two_us']} / {cpu['one_us']} us = {cpu_ratio}",
         "met": cpu_ratio is not None and cpu_ratio <= GOALS["cpu_ratio"]},
        {"goal": f"p99 of each process's {two['push']['groups'][0]['connected']} listeners / 1 process <= "
                 f"{GOALS['p99_ratio']}",
         "measured": f"{worst} / {base_p99} ms = {p99_ratio}",
         "met": p99_ratio is not None and p99_ratio <= GOALS["p99_ratio"]},
        {"goal": "no event lost", "measured": f"{lost} lost", "met": lost == 0},
    ]
    for alone, forwarded in zip(one["checkouts"], two["checkouts"]):
        sales = _ratio(forwarded["rate_per_s"], alone["rate_per_s"])
        found.append({"goal": f"durable checkouts of {alone['clients']} tills through the serving process >= "
                              f"{GOALS['checkout_ratio']:.0%} of one process",
                      "measured": f"{forwarded['rate_per_s']} / {alone['rate_per_s']} sales/s = "
                                  f"{sales:.0%}" if sales else "-",
                      "met": sales is not None and sales >= GOALS["checkout_ratio"]})
    return found


def _lat(run: dict) -> list:
    return [run["latency"]["p50_ms"], run["latency"]["p99_ms"], run["latency"]["max_ms"]]


def _cpus(values) -> str:
    return " + ".join("-" if value is None else f"{value:.0f}" for value in values)


def table(report: dict) -> str:
    r = report["results"]
    one, two, cpu = r["one"], r["two"], r["cpu"]
    a, d, f = one["push"], two["push"], two["nginx"]
    lines = [f"Several hub processes - {report['date']} - {report['command']} - {report['machine']['cpus']} CPUs "
             f"(shared) - calibration {report['calibration_ms']} ms",
             "other load% = CPU of processes not ours during the window, in % of one core",
             "",
             f"a/c. Stock events at {RATE}/s, {report['settings']['listeners']} {CLIENT} listeners per hub process; "
             f"the driver (a staff screen's restock) on process 0; latency = send -> screen; quiet = events sent in "
             f"seconds when other processes used under {DISTURBED_PERCENT}% of a core"]
    rows = []
    for label, run, parts in (("one process, no Redis", a, "the hub"),
                              ("2 processes + Redis, own ports", d, "writer + serving + redis"),
                              ("2 processes + Redis, via nginx", f, "writer + serving + redis + nginx")):
        rows.append([label, run["connected"], *_lat(run), _quiet(run), run["ack"]["p50_ms"], run["lost"],
                     run["server_cpu_us_per_delivery"], f"{_cpus(run['servers_cpu_us_per_delivery'])} ({parts})",
                     _cpus(run["listener_cpu_percent"]), run["foreign_cpu_percent"]])
        for group in run["groups"] if len(run["groups"]) > 1 else ():
            rows.append([f"  {group['label']}'s listeners", group["connected"], group["latency"]["p50_ms"],
                         group["latency"]["p99_ms"], group["latency"]["max_ms"], "", "", "", "", "", "", ""])
    lines += _rows(["", "listeners", "p50 ms", "p99 ms", "max ms", "quiet p99 (share)", "driver ack p50", "lost",
                    "hub us/delivery", "each apart", "listeners CPU%", "other load%"], rows)
    lines += [f"hub processes' CPU% (writer, serving[, redis, nginx]): own ports {_cpus(d['servers_cpu_percent'])}, "
              f"via nginx {_cpus(f['servers_cpu_percent'])}; one process {_cpus(a['servers_cpu_percent'])}",
              f"connections into each process's port: own ports {d['probe']}, via nginx {f['probe']} "
              f"(least_conn; websocket-only screens need no stickiness)",
              f"per delivery to its own listeners: writer {cpu['writer_own_us']} us, serving {cpu['serving_own_us']} "
              f"us, one process {cpu['one_delivery_us']} us beside its per-event work; per event: the writer's "
              f"commit and publish {cpu['writer_event_us']} us, "
              f"redis-server {cpu['redis_event_us']} us; nginx {cpu['nginx_us']} us per delivery"]
    lines += ["", f"b. Durable checkouts, {CLIENT} tills selling back to back"]
    lines += _rows(["", "sales/s", "ack p50 ms", "p99 ms", "errors", "hub CPU% (each)", "tills CPU%", "other load%"],
                   [[f"{label}, {run['clients']} tills", run["rate_per_s"], run["latency"]["p50_ms"],
                     run["latency"]["p99_ms"], sum(run["errors"].values()),
                     f"{run['hub_cpu_percent']} ({_cpus(run['hub_processes_cpu_percent'])})",
                     _cpus(run["client_cpu_percent"]), run["foreign_cpu_percent"]]
                    for pair in zip(one["checkouts"], two["checkouts"])
                    for label, run in zip(("one process", "2 processes, on the serving one"), pair)])
    lines += ["", f"d. Model: deliveries a second at {RATE} events/s against cores, one hub process per core "
                  f"(from the CPU per delivery above; no listener CPU)"]
    lines += _rows(["cores", "deliveries/s", f"screens at {RATE}/s", "vs 1 process x cores", "writer+Redis share",
                    "via nginx /s"],
                   [[row["cores"], row["deliveries_per_s"], row["screens_at_rate"], row["vs_one_process_times_cores"],
                     f"{row['writer_and_redis_share']:.1%}", row["via_nginx_per_s"]] for row in r["model"]])
    lines += ["", "Goals (issue 17)"]
    lines += [f"  [{'met' if g['met'] else 'MISSED'}] {g['goal']}: {g['measured']}" for g in report["goals"]]
    backlogged = [label for label, run in (("one process", a), ("own ports", d), ("via nginx", f))
                  if (run["latency"]["p50_ms"] or 0) > BACKLOG_P50_MS]
    if backlogged:
        lines += [f"  NOTE: p50 over {BACKLOG_P50_MS:.0f} ms ({', '.join(backlogged)}): events queued up, and a hub "
                  f"sends queued events to a screen in one go, so its CPU per delivery there is below the steady "
                  f"state's and the ratios above do not compare like with like"]
    extra = _ratio(cpu["nginx_total_us"], cpu["two_us"])
    lines += [f"  front door: via nginx {cpu['nginx_total_us']} us per delivery in all against {cpu['two_us']} us "
              f"on own ports ({extra}x), p99 {f['latency']['p99_ms']} against {d['latency']['p99_ms']} ms"]
    for label, problems in (("one process", one["hub_log_problems"]), ("cluster", two["hub_log_problems"])):
        if problems:
            lines += ["", f"{label}'s log warnings:", *("  " + line for line in problems)]
    lines.append(f"\nelapsed {report['elapsed_s']} s")
    return "\n".join(lines)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short windows, no second try (about a minute)")
    parser.add_argument("--listeners", type=int, default=200, help="listeners per hub process")
    parser.add_argument("--tills", type=int, default=8)
    parser.add_argument("--more-tills", type=int, default=32, help="a second till count, in the full run only")
    parser.add_argument("--out", default=str(RESULTS / "scale-latest.json"))
    args = parser.parse_args(argv)
    if not (1 <= args.listeners <= 1000 and 1 <= args.tills <= 64 and 1 <= args.more_tills <= 64):
        parser.error("out of bounds: 1-1000 listeners per process, 1-64 tills")
    return args


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so every `with` and bench/hubproc.py's exit hook stop what was started."""
    def handler(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, handler)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    _stop_on_sigterm()
    plan_name = "quick" if args.quick else "full"
    plan = PLANS[plan_name]
    started = time.monotonic()

    def say(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    from .__main__ import describe_machine
    calibration = [calibrate()]
    results = measure(args, plan, say)
    calibration.append(calibrate())
    save_run("scale", argv, started=started, calibration=calibration, results=results, goals=goals,
             out=args.out, table=table, plan=plan_name, machine=describe_machine(),
             settings={**plan, "listeners": args.listeners, "tills": args.tills, "more_tills": args.more_tills,
                       "rate": RATE, "client": CLIENT})
    return 0


if __name__ == "__main__":
    sys.exit(main())
