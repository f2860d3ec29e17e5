"""python -m bench.staff_page: the staff screen's live stock table under 50 stock events a second.

A fresh hub with the demo catalog (config/catalog.csv, 2,200 products), the staff page open on the stock
table in Debian's chromium, and a python staff client restocking products at a steady RATE per second for
SECONDS (each restock is one `stock.changed` and one `stock.restocked` for the page). Half the restocks
hit products whose rows are on screen (the page patches their cells), half hit products anywhere in the
catalog (mostly off screen: the page updates its data only). `--target visible|random` changes the mix.

Measured in the browser, in the same run:
- each stock.changed handler's time (performance.now() around it, kept by the page in staffPerf.stock);
- an empty stock.changed listener on the same events (the floor: dispatch plus two clock reads);
- long tasks (PerformanceObserver 'longtask', over 50 ms) and frames (requestAnimationFrame) during the run;
- main-thread busy share: handler time / wall time, and from Chrome's own counters (CDP
  Performance.getMetrics) all main-thread task time (TaskDuration, wall) and the main thread's CPU time
  (ThreadTime), with script, layout and style; the same counters over 5 s of the idle page before the run;
- after the run, baselines on the same page: the visible window redrawn from scratch (new rows, what a
  table without a sku → row map does per event), the visible rows refilled in place, one row patched, each
  also with style and layout forced, and a naive rebuild of all 2,200 rows with layout.
The page is given cross-origin isolation headers by Playwright so performance.now() has 5 µs steps.
`--trace FILE` records a chromium trace and shows, for each long task, its wall time against its thread's CPU
time: on a busy two-core machine most long tasks are the renderer waiting for a CPU, not work.

Nothing is written to BENCHMARKS.md; the figures are printed (and saved with --out).
"""
import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

from .hubproc import STAFF_NAME, STAFF_PASSWORD, Hub, staff_client
from .machine import calibrate, wait_for_quiet
from .stats import percentile
from .hubproc import wait_until

CHROMIUM = "/usr/bin/chromium"
# As tests/conftest.py, plus: the page document is re-served by Playwright with isolation headers (see run),
# which chromium's local-network checks then treat as a public page talking to 127.0.0.1.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-features=LocalNetworkAccessChecks"]
BASELINE_REPEATS = 200
IDLE_SECONDS = 5
NAIVE_REPEATS = 5

INSTRUMENT = """() => {
  const bench = window.__bench = { empty: [], age: [], longtasks: [], frames: 0, maxGap: 0, running: true };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longtasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: "longtask" });
  // The same events, an empty handler: what any listener costs before it does anything.
  window.staffApp.link.addEventListener("stock.changed", (event) => {
    const started = performance.now();
    bench.empty.push(performance.now() - started);
    bench.age.push(Date.now() - Date.parse(event.detail.at));
  });
  let last = performance.now();
  const frame = (now) => {
    bench.frames += 1;
    bench.maxGap = Math.max(bench.maxGap, now - last);
    last = now;
    if (bench.running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  window.staffPerf.reset();
  bench.started = performance.now();
}"""

BASELINES = """([repeats, naiveRepeats]) => {
  const stock = window.staffApp.stock;
  const time = (fn) => { const t0 = performance.now(); fn(); return performance.now() - t0; };
  // The visible window drawn again from scratch: new row elements, filled and put in (what a table
  // without a sku → row map does on every event), script only as the handler is timed.
  const rebuild = () => {
    for (const row of stock.rows.values()) row.remove();
    for (const row of stock.pool) row.remove();
    stock.rows.clear();
    stock.pool.length = 0;
    stock.renderWindow(true);
  };
  const redraw = [];
  for (let i = 0; i < repeats; i += 1) redraw.push(time(rebuild));
  // Every shown row refilled in place (the existing elements, all cells set again).
  const refill = [];
  for (let i = 0; i < repeats; i += 1) refill.push(time(() => stock.redrawVisible()));
  // The rebuild with style and layout forced, against one patched row with style and layout forced.
  const redrawLayout = [];
  const patchLayout = [];
  const sku = [...stock.rows.keys()][0];
  const product = stock.products.get(sku);
  for (let i = 0; i < repeats; i += 1) {
    redrawLayout.push(time(() => { rebuild(); void stock.table.offsetHeight; }));
    patchLayout.push(time(() => {
      stock.applyStock({ sku, on_hand: product.on_hand + 1, available: product.available + 1 });
      void stock.table.offsetHeight;
    }));
  }
  // A naive table: all 2,200 rows built and laid out (what redrawing "the whole table" means).
  const naive = [];
  for (let i = 0; i < naiveRepeats; i += 1) {
    const box = document.createElement("div");
    box.style.cssText = "position:absolute;left:-5000px;top:0;width:1600px";
    document.body.append(box);
    naive.push(time(() => {
      for (const p of stock.view) {
        const row = stock.makeRow();
        stock.fill(row, p);
        row.style.position = "relative";
        box.append(row);
      }
      void box.offsetHeight;
    }));
    box.remove();
  }
  return { rows_on_screen: stock.rows.size, redraw, refill, redrawLayout, patchLayout, naive };
}"""


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "median_ms": round(statistics.median(values), 4),
            "p95_ms": round(percentile(values, 0.95), 4), "max_ms": round(max(values), 4),
            "total_ms": round(sum(values), 1)}


async def drive(url: str, token: str, visible: list[str], everything: list[str], target: str,
                seconds: float, rate: float) -> dict:
    """Restock one unit every 1/rate s; returns what was sent and answered."""
    sio = await staff_client(url, token)
    chooser = random.Random(7)
    outstanding = {"n": 0}
    result = {"sent": 0, "ok": 0, "failures": {}, "late": 0, "acks": []}

    def answered(sent_at):
        def callback(ack):
            outstanding["n"] -= 1
            if isinstance(ack, dict) and ack.get("ok"):
                result["ok"] += 1
                result["acks"].append(time.monotonic() - sent_at)
            else:
                code = (ack or {}).get("error", {}).get("code", "?") if isinstance(ack, dict) else "?"
                result["failures"][code] = result["failures"].get(code, 0) + 1
        return callback

    total = round(seconds * rate)
    start = time.monotonic()
    for number in range(total):
        pause = start + number / rate - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
        elif pause < -0.5 / rate:
            result["late"] += 1
        on_screen = target == "visible" or (target == "mixed" and number % 2 == 0)
        sku = chooser.choice(visible if on_screen else everything)
        outstanding["n"] += 1
        result["sent"] += 1
        await sio.emit("restock", {"sku": sku, "qty": 1, "reason": "bench"}, callback=answered(time.monotonic()))
    result["send_seconds"] = time.monotonic() - start
    give_up = time.monotonic() + 10
    while outstanding["n"] > 0 and time.monotonic() < give_up:
        await asyncio.sleep(0.01)
    result["unanswered"] = outstanding["n"]
    await sio.disconnect()
    return result


def metrics(cdp) -> dict:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def run(seconds: float, rate: float, target: str, width: int, height: int, say, trace: str | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with Hub("staff-page", {"staff": 2}) as hub, sync_playwright() as playwright:
        page_token, driver_token = hub.tokens["staff"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="ko-KR",
                                          timezone_id="Asia/Seoul")
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            # Cross-origin isolation (added here, the hub does not send it) gives performance.now() 5 µs
            # steps instead of 100 µs, so sub-millisecond handlers are measured, not rounded to zero.
            page.route(f"{hub.url}/staff/", lambda route: route.fulfill(response=(answer := route.fetch()), headers={
                **answer.headers, "Cross-Origin-Opener-Policy": "same-origin",
                "Cross-Origin-Embedder-Policy": "require-corp"}))
            page.add_init_script(f"localStorage.setItem('hall.token.staff', '{page_token}');"
                                 "localStorage.setItem('hall.token.staff.name', 'bench-staff-1');")
            say("opening the staff page on the full catalog")
            opened = time.monotonic()
            page.goto(f"{hub.url}/staff/#stock")
            page.wait_for_selector("#signin-screen:not([hidden])", timeout=30000)
            page.fill("#signin-name", STAFF_NAME)
            page.fill("#signin-password", STAFF_PASSWORD)
            page.click("#signin-submit")
            wait_until(page, "window.staffApp?.stock.loaded && window.staffApp.stock.thresholdsKnown",
                                   timeout=60000)
            page.wait_for_selector(".srow", timeout=30000)
            load_seconds = time.monotonic() - opened
            page.wait_for_timeout(1500)
            products = page.evaluate("window.staffApp.stock.products.size")
            visible = page.evaluate("""() => {
                const table = window.staffApp.stock.table.getBoundingClientRect();
                return [...window.staffApp.stock.rows.entries()].filter(([, row]) => {
                    const box = row.getBoundingClientRect();
                    return box.top >= table.top + 30 && box.bottom <= table.bottom;
                }).map(([sku]) => sku);
            }""")
            everything = page.evaluate("[...window.staffApp.stock.products.keys()]")
            isolated = page.evaluate("window.crossOriginIsolated")
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.evaluate(INSTRUMENT)
            say(f"idle baseline: the page open, no events, {IDLE_SECONDS} s")
            idle_before = metrics(cdp)
            page.wait_for_timeout(IDLE_SECONDS * 1000)
            idle_after = metrics(cdp)
            idle_long = page.evaluate("window.__bench.longtasks.map((task) => task.ms)")
            busy_before = wait_for_quiet()
            page.evaluate("window.__bench.longtasks = []; window.__bench.frames = 0; window.__bench.maxGap = 0;"
                          "window.__bench.started = performance.now()")
            if trace:
                browser.start_tracing(page=page, path=trace, categories=["toplevel", "devtools.timeline", "v8"])
            before = metrics(cdp)
            wall_start = time.monotonic()
            say(f"driving {rate:g} restocks/s for {seconds:g} s ({target}: {len(visible)} rows on screen)")
            outcome: dict = {}
            worker = threading.Thread(target=lambda: outcome.update(
                asyncio.run(drive(hub.url, driver_token, visible, everything, target, seconds, rate))))
            worker.start()
            while worker.is_alive():
                page.wait_for_timeout(200)
            worker.join()
            # Let the last events land.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and page.evaluate("window.staffPerf.stock.length") < outcome["ok"]:
                page.wait_for_timeout(100)
            wall = time.monotonic() - wall_start
            after = metrics(cdp)
            if trace:
                browser.stop_tracing()
            measured = page.evaluate("""() => {
                window.__bench.running = false;
                const b = window.__bench;
                return { handler: window.staffPerf.stock, other: window.staffPerf.other, empty: b.empty,
                         age: b.age, longtasks: b.longtasks, frames: b.frames, maxGap: b.maxGap,
                         elapsed: performance.now() - b.started };
            }""")
            say("baselines on the same page: visible-window redraw, naive 2,200-row rebuild")
            baselines = page.evaluate(BASELINES, [BASELINE_REPEATS, NAIVE_REPEATS])
            on_screen_after = page.evaluate("document.querySelectorAll('.srow:not([hidden])').length")
        finally:
            browser.close()
        log_problems = hub.problems_logged()

    elapsed_s = measured["elapsed"] / 1000
    handler_total = sum(measured["handler"])

    def share(name, start=None, end=None, seconds=None):
        start, end = start or before, end or after
        return round(100 * (end.get(name, 0) - start.get(name, 0)) / (seconds or elapsed_s), 2)

    long_ms = [task["ms"] for task in measured["longtasks"]]
    return {
        "products": products, "viewport": f"{width}x{height}", "rows_on_screen": len(visible),
        "rows_in_dom": on_screen_after, "target": target, "rate_per_s": rate, "seconds": seconds,
        "page_load_s": round(load_seconds, 2), "timer_5us": isolated,
        "restocks": {"sent": outcome["sent"], "ok": outcome["ok"], "failures": outcome["failures"],
                     "unanswered": outcome["unanswered"], "late_sends": outcome["late"],
                     "ack_median_ms": round(1000 * statistics.median(outcome["acks"]), 2) if outcome["acks"] else None},
        "stock_events_applied": len(measured["handler"]),
        "other_events_applied": len(measured["other"]),
        "handler": summary(measured["handler"]),
        "empty_handler": summary(measured["empty"]),
        "event_age_when_applied_ms": {"median": round(statistics.median(measured["age"]), 1) if measured["age"] else None,
                                      "p95": percentile(measured["age"], 0.95)},
        "busy_share_percent": {
            "stock_handler": round(100 * handler_total / measured["elapsed"], 3),
            "main_thread_tasks_cdp": share("TaskDuration"),
            "main_thread_cpu_cdp": share("ThreadTime"),
            "idle_page_tasks_cdp": share("TaskDuration", idle_before, idle_after, IDLE_SECONDS),
            "idle_page_cpu_cdp": share("ThreadTime", idle_before, idle_after, IDLE_SECONDS),
            "script_cdp": share("ScriptDuration"),
            "layout_cdp": share("LayoutDuration"),
            "style_cdp": share("RecalcStyleDuration"),
        },
        "long_tasks": {"count": len(long_ms), "total_ms": round(sum(long_ms), 1),
                       "max_ms": round(max(long_ms), 1) if long_ms else 0},
        "long_tasks_idle": {"count": len(idle_long), "seconds": IDLE_SECONDS,
                            "max_ms": round(max(idle_long), 1) if idle_long else 0},
        "frames": {"count": measured["frames"], "per_s": round(measured["frames"] / elapsed_s, 1),
                   "max_gap_ms": round(measured["maxGap"], 1)},
        "baseline": {
            "rows_redrawn": baselines["rows_on_screen"],
            "redraw_visible_window": summary(baselines["redraw"]),
            "refill_visible_rows_in_place": summary(baselines["refill"]),
            "redraw_visible_window_with_layout": summary(baselines["redrawLayout"]),
            "patch_one_row_with_layout": summary(baselines["patchLayout"]),
            "naive_full_table_2200_rows_with_layout": summary(baselines["naive"]),
        },
        "cdp_deltas": {k: round(after[k] - before.get(k, 0), 4) for k in after
                       if isinstance(after[k], (int, float)) and k.endswith(("Duration", "Count", "Time"))},
        "wall_s": round(wall, 2), "page_errors": errors[:10], "hub_log_problems": log_problems[:10],
        "calibration_ms": calibrate(), "machine_busy_before_percent": busy_before,
        "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count(),
    }


def report(r: dict) -> str:
    h, e, b = r["handler"], r["empty_handler"], r["baseline"]

    def line(label, s):
        return (f"  {label:<50} median {s['median_ms']:8.4f} ms   p95 {s['p95_ms']:8.4f} ms   "
                f"max {s['max_ms']:8.3f} ms   (n={s['n']})")
    busy = r["busy_share_percent"]
    out = [
        f"Staff page stock table: {r['products']} products, {r['viewport']}, {r['rows_on_screen']} rows on screen "
        f"({r['rows_in_dom']} row elements in the DOM); page ready in {r['page_load_s']} s",
        f"Driver: {r['restocks']['sent']} restocks at {r['rate_per_s']:g}/s for {r['seconds']:g} s ({r['target']}), "
        f"{r['restocks']['ok']} ok, failures {r['restocks']['failures'] or 'none'}, "
        f"ack median {r['restocks']['ack_median_ms']} ms, late sends {r['restocks']['late_sends']}",
        f"Events applied by the page: {r['stock_events_applied']} stock.changed "
        f"(+{r['other_events_applied']} other handled events); event age when applied: "
        f"median {r['event_age_when_applied_ms']['median']} ms, p95 {r['event_age_when_applied_ms']['p95']} ms",
        f"Per stock event, in the browser (performance.now(), {'5 µs' if r['timer_5us'] else '100 µs'} steps):",
        line("stock.changed handler (patch in place)", h),
        line("empty handler on the same events", e),
        "Main-thread busy share over the run:",
        f"  stock.changed handlers {busy['stock_handler']} % of wall time",
        f"  all main-thread tasks (CDP TaskDuration) {busy['main_thread_tasks_cdp']} %, main-thread CPU (ThreadTime) "
        f"{busy['main_thread_cpu_cdp']} %   [script {busy['script_cdp']} %, layout {busy['layout_cdp']} %, "
        f"style {busy['style_cdp']} %]",
        f"  same page idle, no events, before the run: tasks {busy['idle_page_tasks_cdp']} %, "
        f"CPU {busy['idle_page_cpu_cdp']} %",
        f"Long tasks (>50 ms) during the run: {r['long_tasks']['count']} (total {r['long_tasks']['total_ms']} ms, "
        f"max {r['long_tasks']['max_ms']} ms); idle page before: {r['long_tasks_idle']['count']} in "
        f"{r['long_tasks_idle']['seconds']} s (max {r['long_tasks_idle']['max_ms']} ms); frames {r['frames']['per_s']}/s, longest gap {r['frames']['max_gap_ms']} ms",
        f"Baselines, same page after the run ({b['rows_redrawn']} row elements):",
        line("redraw of the visible window, new rows (script)", b["redraw_visible_window"]),
        line("refill of the visible rows in place (script)", b["refill_visible_rows_in_place"]),
        line("redraw of the visible window + style/layout", b["redraw_visible_window_with_layout"]),
        line("patch of one row + style/layout", b["patch_one_row_with_layout"]),
        line("naive rebuild of all 2,200 rows + layout", b["naive_full_table_2200_rows_with_layout"]),
        f"Machine: {r['cpus']} CPUs, load average {r['load_average']}, busy {r['machine_busy_before_percent']} % of a core "
        f"before the run, calibration {r['calibration_ms']} ms; page errors: {r['page_errors'] or 'none'}; "
        f"hub log problems: {len(r['hub_log_problems'])}",
    ]
    return "\n".join(out)


def long_task_breakdown(path: str) -> str:
    """The renderer main thread's tasks over 50 ms in a trace: wall time against the thread's own CPU time
    (a task whose thread time is much smaller waited for a CPU), and what ran inside the longest ones."""
    events = json.loads(Path(path).read_text())
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events if e.get("name") == "thread_name"
            and e.get("args", {}).get("name") == "CrRendererMain"}
    tasks = [e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"
             and e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask") and e.get("dur", 0) > 50_000]
    lines = [f"Long main-thread tasks in the trace: {len(tasks)}"]
    for task in sorted(tasks, key=lambda e: -e["dur"])[:8]:
        inner = [e for e in events if (e.get("pid"), e.get("tid")) == (task["pid"], task["tid"]) and e.get("ph") == "X"
                 and task["ts"] <= e.get("ts", 0) < task["ts"] + task["dur"] and e is not task]
        top = sorted(inner, key=lambda e: -e.get("dur", 0))[:3]
        lines.append(f"  wall {task['dur'] / 1000:7.1f} ms, thread {task.get('tdur', 0) / 1000:7.1f} ms; inside: "
                     + ", ".join(f"{e['name']} {e.get('dur', 0) / 1000:.1f} ms" for e in top))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.staff_page", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=50, help="restocks (stock.changed events) per second")
    parser.add_argument("--target", choices=("mixed", "visible", "random"), default="mixed")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--out", help="also write the figures as JSON to this file")
    parser.add_argument("--trace", help="record a chromium trace of the run to this file and break down its long tasks")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()

    def say(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)
    result = run(args.seconds, args.rate, args.target, args.width, args.height, say, trace=args.trace)
    print(report(result))
    if args.trace:
        print(long_task_breakdown(args.trace))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
