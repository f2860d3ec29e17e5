"""Visitors' phones (issue 16): thousands of phones watching products while the tills sell at the peak.

  python -m bench phones [--phones 5000] [--seconds 60] [--tills 40] [--out FILE]
  python -m bench phones --phones 300 --seconds 20        the small mode (about a minute)

One real hub (`run_hall.py`, the full demo catalog of 2,200 products) on 127.0.0.1, measured twice in the
same run, each for half of --seconds:

1. the baseline: --tills tills (socket.io-client in Node, bench/js_clients.cjs) each ringing one sale every
   --sale-every seconds, out of step, and a staff screen restocking a product every --restock-every seconds;
2. the same again with --phones visitors' phones connected (bench/js_phones.cjs, socket.io-client, several
   hundred per Node process), each watching --watch products.

Popularity is skewed as a hall's is (Zipf, s = 1, over a fixed shuffle of the catalog): the tills sell the
SOLD most popular products in proportion to it, and each phone watches --watch distinct products drawn by
it, so the best sellers are watched by nearly every phone and most of the catalog by a few.

Each phone makes its own session (POST /api/visit/session, as the page does), connects with the token and
sends `watch`; the hub then pushes `changes` for its products only, coalesced. Latency is taken from the hub's
event log after the run: for each change to a product a phone watches, from the event's `at` (stamped by the
hub before the commit, so the figure is an upper bound of commit -> phone) to the arrival of the first push
to that phone whose seq covers it (wall clock in both, one machine). A change merged into a later push
waits for that push: the coalescing delay is in the figure.

Everything stops by itself: every child is started and stopped by pid (bench/hubproc.py), every worker has a
hard deadline, and every loop is bounded.
"""
import argparse
import asyncio
import csv
import json
import random
import re
import resource
import sqlite3
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from . import checkouts
from .hubproc import ROOT, Hub, Worker, remove, scratch_dir, staff_client
from . import machine
from .machine import Window, calibrate, wait_for_quiet
from .report import _rows, save_run
from .stats import latency_ms, percentile

RESULTS = Path(__file__).resolve().parent / "results"
SOLD = 200                # the tills sell from the most popular products, restocked first so none runs out
PHONES_PER_PROCESS = 1250
TILLS_PER_PROCESS = 40
SETTLE_SECONDS = 2.0
DRAIN_QUIET_SECONDS = 1.5  # no new push for this long after the tills stop: the rest would never come
MAX_DRAIN_SECONDS = 15.0
KIOSK_SOCKET_KIB = 46.7   # BENCHMARKS.md, "per authenticated idle screen (kiosk socket)"
GOALS = {"phones_p99_ms": 250.0, "till_ack_ratio": 1.5, "hub_rss_mb": 500.0}


def raise_open_files(wanted: int) -> dict:
    """Raise this process's soft limit on open files (its children inherit it): the hub holds a socket
    per phone. Never above the hard limit, which only root could raise."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = soft if soft >= wanted else (wanted if hard == resource.RLIM_INFINITY else min(hard, wanted))
    if target != soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return {"soft_before": soft, "soft": target, "hard": hard}


def ranked_products() -> list[dict]:
    """The catalog in a fixed order of popularity, each with its Zipf weight 1/rank."""
    with open(ROOT / "config" / "catalog.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(16).shuffle(rows)
    return [{"sku": row["sku"], "price": int(row["price"]), "weight": 1 / rank}
            for rank, row in enumerate(rows, start=1)]


def choose_watches(products: list[dict], phones: int, per_phone: int, seed: int = 5) -> list[list[str]]:
    """For each phone, `per_phone` distinct skus drawn in proportion to popularity."""
    chooser = random.Random(seed)
    skus = [p["sku"] for p in products]
    weights = [p["weight"] for p in products]
    watches = []
    for _ in range(phones):
        picked: dict[str, None] = {}
        while len(picked) < per_phone:
            for sku in chooser.choices(skus, weights, k=per_phone - len(picked)):
                picked[sku] = None
        watches.append(list(picked))
    return watches


def _set_keys(text: str, section: str, values: dict) -> str:
    """hall.toml's text with `key = value` set in [section] (added when missing)."""
    header = re.search(rf"^\[{re.escape(section)}\]\s*$", text, flags=re.M)
    if not header:
        return text.rstrip("\n") + f"\n\n[{section}]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
    following = re.search(r"^\[", text[header.end():], flags=re.M)
    end = header.end() + following.start() if following else len(text)
    body = text[header.end():end]
    for key, value in values.items():
        line = re.compile(rf"^{re.escape(key)}\s*=.*$", flags=re.M)
        body = line.sub(f"{key} = {value}", body) if line.search(body) else f"\n{key} = {value}" + body
    return text[:header.end()] + body + text[end:]


def hall_config(phones: int):
    """A writer of the bench's hall.toml: the hall's own, with its files by absolute path and room for
    every phone from one address (the whole bench is 127.0.0.1, where a hall has thousands of phones)."""
    from hub.config import DEFAULTS

    def write(data_dir: Path) -> Path:
        text = (ROOT / "config" / "hall.toml").read_text(encoding="utf-8")
        text = re.sub(r'^file = "([^"/]+)"$', lambda m: f'file = "{(ROOT / "config" / m[1]).as_posix()}"',
                      text, flags=re.M)
        text = _set_keys(text, "trust", {"connections_per_address": phones + 500})
        visitor = DEFAULTS.get("visitor", {})
        room = {key: phones + 500 for key in ("connections_per_address", "sessions_per_address_per_minute")
                if key in visitor}
        if room:
            text = _set_keys(text, "visitor", room)
        path = Path(data_dir) / "hall.toml"
        path.write_text(text, encoding="utf-8")
        return path
    return write


class Restocker(threading.Thread):
    """A staff screen restocking one popular product every `every` seconds until stopped."""

    def __init__(self, url: str, token: str, products: list[dict], every: float):
        super().__init__(daemon=True)
        self.url, self.token, self.products, self.every = url, token, products, every
        self.halt = threading.Event()
        self.acks: list[float] = []
        self.errors: dict[str, int] = {}

    def run(self) -> None:
        asyncio.run(self._restock())

    async def _restock(self) -> None:
        chooser = random.Random(7)
        sio = await staff_client(self.url, self.token)
        skus, weights = [p["sku"] for p in self.products], [p["weight"] for p in self.products]
        try:
            while not self.halt.is_set() and sio.connected:
                sent = time.monotonic()
                try:
                    ack = await sio.call("restock", {"sku": chooser.choices(skus, weights)[0], "qty": 5},
                                         timeout=15)
                except Exception as failure:  # a timeout or a dropped link: counted, as the tills count theirs
                    self.errors[type(failure).__name__] = self.errors.get(type(failure).__name__, 0) + 1
                    continue
                if ack.get("ok"):
                    self.acks.append(time.monotonic() - sent)
                else:
                    code = ack.get("error", {}).get("code", "?")
                    self.errors[code] = self.errors.get(code, 0) + 1
                await asyncio.sleep(max(0.0, sent + self.every - time.monotonic()))
        finally:
            await sio.disconnect()

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=20)


def _tills(hub: Hub, tills: int, seconds: float, pace: float, folder: Path, products_file: Path,
           label: str) -> list[Worker]:
    workers = []
    processes = -(-tills // TILLS_PER_PROCESS)
    per_process = -(-tills // processes)
    for index in range(processes):
        first = index * per_process
        workers.append(Worker(f"tills-{label}-{index}", "checkout", hub.url, min(per_process, tills - first),
                              folder=folder, first=first, tokens_file=hub.tokens_file, role="pos", client="js",
                              max_seconds=seconds + 120,
                              extra=["--seconds", str(seconds), "--products", str(products_file),
                                     "--pace", str(pace)]))
    for worker in workers:
        worker.wait_ready()
    return workers


def selling_window(hub: Hub, args, folder: Path, products_file: Path, sold: list[dict], label: str,
                   watchers=()) -> dict:
    """--tills tills selling at their pace and a staff screen restocking, for half of --seconds."""
    seconds = args.seconds / 2
    tills = _tills(hub, args.tills, seconds, args.sale_every, folder, products_file, label)
    try:
        busy_before = wait_for_quiet()
        window = Window([hub.child] + [w.child for w in tills] + [w.child for w in watchers])
        restocker = Restocker(hub.url, hub.tokens["staff"][0], sold, args.restock_every)
        started_wall = time.time()
        restocker.start()
        for worker in tills:
            worker.send("GO")
        found = [worker.result(timeout=seconds + 60) for worker in tills]
        restocker.stop()
        ended_wall = time.time()
        used = window.close()
    finally:
        for worker in tills:
            worker.stop()
    latencies = [value for result in found for value in result["latencies"]]
    errors = _sum_dicts([*(result["errors"] for result in found), restocker.errors])
    hub_cpu, *others = used["child_cpu"]
    span = max(r["end"] for r in found) - min(r["start"] for r in found)
    return {"sales": len(latencies), "sales_per_s": round(len(latencies) / span, 2),
            "restocks": len(restocker.acks), "errors": errors, "till_ack": latency_ms(latencies),
            "restock_ack": latency_ms(restocker.acks), "window_s": round(used["wall"], 2),
            "started_wall": started_wall, "ended_wall": ended_wall,
            "hub_cpu_s": round(hub_cpu, 3), "hub_cpu_percent": round(100 * hub_cpu / used["wall"], 1),
            "tills_cpu_percent": round(100 * sum(others[:len(tills)]) / used["wall"], 1),
            "phones_cpu_percent": round(100 * sum(others[len(tills):]) / used["wall"], 1),
            "machine_busy_before_percent": busy_before, "foreign_cpu_percent": used["foreign_percent"]}


def drain(phones: list[Worker]) -> float:
    """Wait until no phone has heard anything new for DRAIN_QUIET_SECONDS (at most MAX_DRAIN_SECONDS)."""
    started = time.monotonic()
    last, last_change = -1, started
    while time.monotonic() - started < MAX_DRAIN_SECONDS:
        heard = sum(worker.count() for worker in phones)
        if heard != last:
            last, last_change = heard, time.monotonic()
        elif time.monotonic() - last_change >= DRAIN_QUIET_SECONDS:
            break
        time.sleep(0.25)
    return round(time.monotonic() - started, 2)


def stock_events(db_path: Path, after_seq: int) -> dict[str, list[tuple[int, float, int]]]:
    """{sku: [(seq, at in wall-clock ms, on_hand)]} of the hub's stock.changed after `after_seq`, in seq order,
    read from its record (read-only; the hub's WAL lets a reader in beside its writer)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT seq, data, at FROM events WHERE type = 'stock.changed' AND seq > ? ORDER BY seq",
                          (after_seq,)).fetchall()
    finally:
        db.close()
    found: dict[str, list[tuple[int, float, int]]] = {}
    for seq, data, at in rows:
        data = json.loads(data)
        found.setdefault(data["sku"], []).append((seq, datetime.fromisoformat(at).timestamp() * 1000,
                                                  data["on_hand"]))
    return found


def _last_seq(db_path: Path) -> int:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
    finally:
        db.close()


def score(phones: list[dict], events: dict, window: tuple[float, float]) -> dict:
    """What the phones heard against what the hub committed (see the module's docstring).

    `window`: wall-clock ms in which the measured changes were committed (the tills' selling window).
    """
    start_ms, end_ms = window
    latencies: list[float] = []
    shown: list[float] = []  # per product per push: the age of the value the phone shows when it lands
    foreign = redundant = mismatched = lost = pushes = updates = 0
    most_per_second, most_in_window, gaps = 0, 0, []
    for phone in phones:
        if phone["ack_seq"] is None:
            continue
        watched = set(phone["watch"])
        after = {sku: 0 for sku in watched}
        for sku in watched:
            changes = events.get(sku, [])
            while after[sku] < len(changes) and changes[after[sku]][0] <= phone["ack_seq"]:
                after[sku] += 1
        times = []
        for arrival, seq, *pairs in phone["pushes"]:
            pushes += 1
            times.append(arrival)
            for sku, on_hand in zip(pairs[0::2], pairs[1::2]):
                updates += 1
                if sku not in watched:
                    foreign += 1
                    continue
                changes, index, newest = events.get(sku, []), after[sku], None
                while index < len(changes) and changes[index][0] <= seq:
                    newest = changes[index]
                    if start_ms <= newest[1] <= end_ms:
                        latencies.append((arrival - newest[1]) / 1000)
                    index += 1
                after[sku] = index
                if newest is not None and start_ms <= newest[1] <= end_ms:
                    shown.append((arrival - newest[1]) / 1000)
                if newest is None:
                    redundant += 1      # nothing new for this product since the last push
                elif newest[2] != on_hand:
                    mismatched += 1     # a value that is not the newest the push's seq covers
        for sku in watched:
            lost += sum(1 for change in events.get(sku, [])[after[sku]:] if start_ms <= change[1] <= end_ms)
        gaps.extend(b - a for a, b in zip(times, times[1:]))
        most_in_window = max(most_in_window, sum(1 for at in times if start_ms <= at <= end_ms))
        low = 0
        for high, at in enumerate(times):
            while at - times[low] >= 1000:
                low += 1
            most_per_second = max(most_per_second, high - low + 1)
    watched_changes = len(latencies) + lost
    return {"phones_scored": sum(1 for p in phones if p["ack_seq"] is not None), "pushes": pushes,
            "product_updates": updates, "changes_delivered": len(latencies), "lost": lost,
            "lost_fraction": round(lost / max(1, watched_changes), 5),
            "latency": latency_ms(latencies), "newest_value_latency": latency_ms(shown),
            "foreign_products": foreign, "redundant_updates": redundant,
            "stale_values": mismatched, "max_pushes_per_phone_per_s": most_per_second,
            # Over the whole window: arrivals bunched by a busy client cannot raise it, only extra pushes can.
            "fastest_phone_pushes_per_s": round(1000 * most_in_window / max(1.0, end_ms - start_ms), 2),
            "push_gap_ms": {"min": round(min(gaps), 1) if gaps else None,
                            "p1": round(percentile(gaps, 0.01), 1) if gaps else None}}


def measure(args, say) -> dict:
    machine.quiet_wait_seconds = 1.5  # a short look for a quiet machine: the run is long enough as it is
    limits = raise_open_files(args.phones + args.tills + 1000)
    say(f"open files: soft limit {limits['soft_before']} -> {limits['soft']} (hard {limits['hard']})")
    ranked = ranked_products()
    sold = ranked[:SOLD]
    folder = scratch_dir("phones-clients")
    phones: list[Worker] = []
    try:
        products_file = folder / "products.json"
        products_file.write_text(json.dumps(sold))
        watch_file = folder / "watches.json"
        watch_file.write_text(json.dumps(choose_watches(ranked, args.phones, args.watch)))
        with Hub("phones", {"pos": args.tills, "staff": 1}, config=hall_config(args.phones)) as hub:
            db_path = hub.data_dir / "hall.db"
            say(f"hub up at {hub.url}; restocking the {SOLD} best sellers")
            asyncio.run(checkouts._restock(hub.url, hub.tokens["staff"][0], sold))
            say(f"baseline: {args.tills} tills, a sale each {args.sale_every} s, {args.seconds / 2:.0f} s, no phones")
            baseline = selling_window(hub, args, folder, products_file, sold, "baseline")
            time.sleep(SETTLE_SECONDS)
            rss_before = hub.child.rss_mb()
            say(f"connecting {args.phones} phones, each watching {args.watch} products")
            connect_started = time.monotonic()
            processes = -(-args.phones // PHONES_PER_PROCESS)
            per_process = -(-args.phones // processes)
            for index in range(processes):
                first = index * per_process
                phones.append(Worker(f"phones-{index}", "phones", hub.url, min(per_process, args.phones - first),
                                     folder=folder, first=first, client="js", role="visitor",
                                     max_seconds=args.seconds + 600, extra=["--watch-file", str(watch_file)]))
            connected = sum(worker.wait_ready(timeout=300) for worker in phones)
            connect_s = round(time.monotonic() - connect_started, 1)
            time.sleep(SETTLE_SECONDS)
            rss_with = hub.child.rss_mb()
            counted = hub.health().get("connections")
            say(f"{connected} phones in {connect_s} s; hub RSS {rss_before:.0f} -> {rss_with:.0f} MB; "
                f"the same selling with them watching")
            first_seq = _last_seq(db_path)
            loaded = selling_window(hub, args, folder, products_file, sold, "phones", watchers=phones)
            drained = drain(phones)
            rss_after = hub.child.rss_mb()
            for worker in phones:
                worker.send("STOP")
            heard = [worker.result(timeout=120) for worker in phones]
            events = stock_events(db_path, first_seq)
        scored = score([phone for result in heard for phone in result["phones"]], events,
                       (loaded["started_wall"] * 1000, loaded["ended_wall"] * 1000))
    finally:
        for worker in phones:
            worker.stop()
        remove(folder)
    extra_cpu = loaded["hub_cpu_s"] - baseline["hub_cpu_s"] * loaded["window_s"] / baseline["window_s"]
    return {
        "open_files": limits, "baseline": baseline, "with_phones": loaded,
        "phones": {"asked": args.phones, "connected": connected, "hub_counted": counted,
                   "node_processes": len(phones), "connect_all_s": connect_s,
                   "watch_failures": _sum_dicts(r["watch_failures"] for r in heard),
                   "disconnects": sum(r["disconnects"] for r in heard),
                   "disconnect_reasons": _sum_dicts(r["disconnect_reasons"] for r in heard),
                   "broadcasts_heard": sum(r["broadcasts_heard"] for r in heard), "drain_s": drained},
        "delivery": {**scored,
                     "pushes_per_s": round(scored["pushes"] / loaded["window_s"], 1),
                     "hub_cpu_us_per_push": _micro(loaded["hub_cpu_s"], scored["pushes"]),
                     # Beyond what the same selling cost without phones (scaled to the same window).
                     "hub_extra_cpu_us_per_push": _micro(extra_cpu, scored["pushes"]),
                     "hub_extra_cpu_us_per_change_delivered": _micro(extra_cpu, scored["changes_delivered"])},
        "memory": {"rss_before_mb": round(rss_before, 1), "rss_with_phones_mb": round(rss_with, 1),
                   "rss_after_selling_mb": round(rss_after, 1),
                   "kib_per_phone": round((rss_with - rss_before) * 1024 / max(1, connected), 1),
                   "kib_per_kiosk_socket": KIOSK_SOCKET_KIB},
        "hub_log_problems": hub.log_problems[:20],
    }


def _micro(seconds: float, count: int) -> float | None:
    return round(1e6 * seconds / count, 1) if count else None


def _sum_dicts(dicts) -> dict:
    total: dict = {}
    for one in dicts:
        for key, value in one.items():
            total[key] = total.get(key, 0) + value
    return total


def goals(results: dict) -> list[dict]:
    p99 = results["delivery"]["latency"]["p99_ms"]
    base, loaded = results["baseline"]["till_ack"]["p99_ms"], results["with_phones"]["till_ack"]["p99_ms"]
    ratio = loaded / base if base and loaded else None
    rss, phones = results["memory"]["rss_with_phones_mb"], results["phones"]["connected"]
    return [
        {"goal": f"commit -> watching phone p99 <= {GOALS['phones_p99_ms']:.0f} ms",
         "measured": f"{p99} ms", "met": p99 is not None and p99 <= GOALS["phones_p99_ms"]},
        {"goal": f"tills' ack p99 with phones <= {GOALS['till_ack_ratio']}x without",
         "measured": f"{loaded} / {base} ms = {ratio:.2f}x" if ratio else "-",
         "met": ratio is not None and ratio <= GOALS["till_ack_ratio"]},
        {"goal": f"hub RSS < {GOALS['hub_rss_mb']:.0f} MB with {phones} phones",
         "measured": f"{rss} MB", "met": rss < GOALS["hub_rss_mb"]},
    ]


def table(report: dict) -> str:
    r = report["results"]
    b, w, d, m, p = r["baseline"], r["with_phones"], r["delivery"], r["memory"], r["phones"]
    lines = [f"Visitors' phones - {report['date']} - {report['command']} - "
             f"calibration {report['calibration_ms']} ms",
             f"open files: soft limit {r['open_files']['soft_before']} -> {r['open_files']['soft']}", ""]
    lines += _rows(["", "sales/s", "till ack p50", "p99 ms", "restocks", "errors", "hub CPU%", "tills CPU%",
                    "phones CPU%", "other load%"],
                   [[label, run["sales_per_s"], run["till_ack"]["p50_ms"], run["till_ack"]["p99_ms"], run["restocks"],
                     sum(run["errors"].values()), run["hub_cpu_percent"], run["tills_cpu_percent"],
                     run["phones_cpu_percent"], run["foreign_cpu_percent"]]
                    for label, run in (("without phones", b), (f"with {p['connected']} phones", w))])
    lat = d["latency"]
    lines += [
        "",
        f"phones: {p['connected']} of {p['asked']} connected in {p['connect_all_s']} s over {p['node_processes']} Node "
        f"processes (hub counted {p['hub_counted']}); watch failures {p['watch_failures'] or 0}, "
        f"disconnects {p['disconnects']} {p['disconnect_reasons'] or ''}, "
        f"hall broadcasts heard {p['broadcasts_heard']}",
        f"commit -> watching phone: p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms, max {lat['max_ms']} ms over "
        f"{lat['n']} (change, phone) pairs; lost {d['lost']} ({d['lost_fraction']:.3%})",
        f"  the newest value in each push, commit -> phone: p50 {d['newest_value_latency']['p50_ms']} ms, "
        f"p99 {d['newest_value_latency']['p99_ms']} ms (a change merged into a later push waits for it)",
        f"pushes: {d['pushes']} ({d['pushes_per_s']}/s), {d['product_updates']} product updates; most to one phone "
        f"in any second {d['max_pushes_per_phone_per_s']} ({d['fastest_phone_pushes_per_s']}/s over the window), "
        f"shortest gap {d['push_gap_ms']['min']} ms (p1 {d['push_gap_ms']['p1']} ms)",
        f"each phone hears only what it watches: products it did not watch {d['foreign_products']}, "
        f"stale values {d['stale_values']}, updates with nothing new {d['redundant_updates']}",
        f"hub CPU per push: {d['hub_cpu_us_per_push']} us in all, {d['hub_extra_cpu_us_per_push']} us beyond the "
        f"baseline ({d['hub_extra_cpu_us_per_change_delivered']} us per change delivered)",
        f"hub RSS: {m['rss_before_mb']} MB before the phones, {m['rss_with_phones_mb']} MB with them "
        f"({m['kib_per_phone']} KiB per phone; a kiosk socket: {m['kib_per_kiosk_socket']} KiB), "
        f"{m['rss_after_selling_mb']} MB after selling",
        "",
        "Goals (issue 16)",
    ]
    lines += [f"  [{'met' if g['met'] else 'MISSED'}] {g['goal']}: {g['measured']}" for g in report["goals"]]
    if r["hub_log_problems"]:
        lines += ["", "hub log warnings:", *("  " + line for line in r["hub_log_problems"])]
    lines.append(f"\nelapsed {report['elapsed_s']} s")
    return "\n".join(lines)


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench phones", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=60, help="selling time, half without phones, half with")
    parser.add_argument("--tills", type=int, default=40)
    # The peak: the rehearsal's 14:00 hour (config/rehearsal.toml: 2,600 visitors, 35% buy, 8 tills) is one
    # sale every 32 s at each till; 20 s is that with a margin, 2 sales/s from 40 tills. 5 is a stress run.
    parser.add_argument("--sale-every", type=float, default=20.0,
                        help="seconds between one till's sales (20: the hall's peak with a margin, 2 sales/s "
                             "from 40 tills; 5: a stress run, 8 sales/s)")
    parser.add_argument("--restock-every", type=float, default=1.0)
    parser.add_argument("--watch", type=int, default=20, help="products each phone watches")
    parser.add_argument("--out", default=str(RESULTS / "phones.json"))
    args = parser.parse_args(argv)
    if not (1 <= args.phones <= 20_000 and 2 <= args.seconds <= 600 and 1 <= args.tills <= 200
            and 1 <= args.watch <= 60 and args.sale_every > 0 and args.restock_every > 0):
        parser.error("out of bounds: 1-20000 phones, 2-600 s, 1-200 tills, 1-60 watched products")
    return args


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()

    def say(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    calibration = [calibrate()]
    results = measure(args, say)
    calibration.append(calibrate())
    save_run("phones", sys.argv[1:] if argv is None else argv, started=started, calibration=calibration,
             results=results, goals=goals, out=args.out, table=table, settings=vars(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
