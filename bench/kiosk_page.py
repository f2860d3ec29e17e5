"""python -m bench.kiosk_page [--loads 5] [--rounds 3] [--throttle 1,4]: the visitor kiosk in a real browser
with the full demo catalog (config/catalog.csv, 2,200 products).

Measured in the page with the Performance API, each at CPU speed x1 and, to stand in for a slow kiosk PC,
with the CPU throttled (Chrome DevTools' Emulation.setCPUThrottlingRate):

- first usable screen: navigation start to the frame after the product grid is rendered with the whole
  catalog (mark "kiosk:grid-ready"; the grid sits ready under the attract screen, one touch away), and to the
  frame after the stock is confirmed live (mark "kiosk:live": connected, caught up, ordering enabled);
- search latency: one keystroke (the search box's input event, as the on-screen keyboard fires it) to the
  frame after the results are rendered, over 30 queries (10 Korean words, 10 초성, 10 English), median and p95;
  and apart, 10 Korean words typed with the keyboard in English ("fhqht" for 로봇);
- a same-run baseline: a bare Array.filter(includes) over the same 2,200 names in the same page.

Nothing is written to BENCHMARKS.md; the figures are printed (and saved with --json PATH).
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from .hubproc import Hub
from .stats import percentile
from .hubproc import wait_until

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1920, "height": 1080}

KOREAN = ["로봇", "드론", "센서", "도어락", "청소기", "유기농", "볼펜", "마스크", "카메라", "텀블러"]
INITIALS = ["ㄹㅂ", "ㄷㄹ", "ㅅㅅ", "ㄷㅇㄹ", "ㅊㅅㄱ", "ㅋㅁㄹ", "ㅇㄱㄴ", "ㅂㅍ", "ㅅㅁㅌ", "ㄱㅇㄹ"]
ENGLISH = ["robot", "drone", "sensor", "camera", "smart", "kit", "cleaner", "organic", "pen", "lock"]
# The Korean words typed with the keyboard in English: nothing matches as typed, so the page searches twice.
WRONG_LAYOUT = ["fhqht", "emfhs", "tpstj", "ehdjfkr", "cjdthrl", "dbrlshd", "qhfvps", "aktmzm", "zkapfk", "xjaqmffj"]
QUERIES = [("korean", q) for q in KOREAN] + [("initials", q) for q in INITIALS] + [("english", q) for q in ENGLISH]
# Kept apart from QUERIES so "all" stays the same 30 queries from one version of the page to the next.
EXTRA_QUERIES = [("wrong_layout", q) for q in WRONG_LAYOUT]

# One keystroke: the box holds all but the last character, then the last arrives as an input event.
SEARCH_JS = """async ({ query, rounds }) => {
    const box = document.getElementById('search');
    const afterFrame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const samples = [];
    for (let round = 0; round < rounds; round += 1) {
        box.value = query.slice(0, -1);
        box.dispatchEvent(new Event('input', { bubbles: true }));
        await afterFrame();
        let handled = 0, count = 0;
        const heard = (e) => { handled = e.detail.ms; count = e.detail.count; };
        document.addEventListener('kiosk:results', heard, { once: true });
        const start = performance.now();
        box.value = query;
        box.dispatchEvent(new Event('input', { bubbles: true }));
        const sync = performance.now() - start;
        await afterFrame();
        samples.push({ frame: performance.now() - start, sync, handled, count,
                       cards: document.querySelectorAll('#products .card:not([hidden])').length });
    }
    box.value = '';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await afterFrame();
    return samples;
}"""

BASELINE_JS = """async ({ queries, rounds }) => {
    const { products } = await (await fetch('/api/products')).json();
    const names = products.map((p) => `${p.name} ${p.name_en}`.toLowerCase());
    const samples = [];
    for (let round = 0; round < rounds; round += 1) {
        for (const query of queries) {
            const q = query.toLowerCase();
            const start = performance.now();
            const hits = names.filter((name) => name.includes(q));
            samples.push({ ms: performance.now() - start, count: hits.length });
        }
    }
    return { products: names.length, samples };
}"""


def kiosk_token(hub: Hub) -> str:
    return hub.tokens["kiosk"][0]


def new_page(browser, hub: Hub, throttle: float):
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR", timezone_id="Asia/Seoul")
    context.add_init_script(f"localStorage.setItem('hall.token.kiosk', {json.dumps(kiosk_token(hub))})")
    page = context.new_page()
    if throttle != 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return context, page


def mark_times(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('mark')
        .filter((m) => m.name.startsWith('kiosk:')).map((m) => [m.name.slice(6), m.startTime]))""")


def cold_loads(browser, hub: Hub, loads: int, throttle: float) -> dict:
    """Fresh browser contexts (no cache) loading the kiosk to a live, fully rendered catalog."""
    runs = []
    for _ in range(loads):
        context, page = new_page(browser, hub, throttle)
        try:
            page.goto(f"{hub.url}/kiosk/?idle=3600")
            wait_until(page, "performance.getEntriesByName('kiosk:live').length"
                                   " && performance.getEntriesByName('kiosk:grid-ready').length", timeout=60_000)
            marks = mark_times(page)
            marks["cards_in_dom"] = page.evaluate("document.querySelectorAll('#products .card').length")
            marks["products"] = page.evaluate(
                "Number(document.getElementById('result-count').textContent.replace(/[^0-9]/g, ''))")
            runs.append(marks)
        finally:
            context.close()
    def summary(key):
        values = [run[key] for run in runs if key in run]
        return {"median_ms": round(statistics.median(values), 1), "max_ms": round(max(values), 1)}
    return {"loads": loads, "attract_shown": summary("attract"), "catalog_fetched": summary("catalog-fetched"),
            "grid_rendered": summary("grid-ready"), "live": summary("live"),
            "products_listed": runs[0]["products"], "cards_in_dom": runs[0]["cards_in_dom"]}


def ms_summary(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values), 2),
            "p95_ms": round(percentile(values, 0.95), 2), "max_ms": round(max(values), 2)}


def searches(browser, hub: Hub, rounds: int, throttle: float) -> dict:
    context, page = new_page(browser, hub, throttle)
    try:
        page.goto(f"{hub.url}/kiosk/?idle=3600")
        wait_until(page, "performance.getEntriesByName('kiosk:live').length", timeout=60_000)
        page.locator("#attract-start").click()
        page.wait_for_selector("#browse:visible")
        by_kind: dict[str, list[dict]] = {}
        for kind, query in QUERIES + EXTRA_QUERIES:
            samples = page.evaluate(SEARCH_JS, {"query": query, "rounds": rounds})
            by_kind.setdefault(kind, []).extend({**s, "query": query} for s in samples)
        baseline = page.evaluate(BASELINE_JS, {"queries": [q for _, q in QUERIES], "rounds": rounds})
    finally:
        context.close()
    every = [s for kind, samples in by_kind.items() if kind != "wrong_layout" for s in samples]
    result = {
        "queries": len(QUERIES), "rounds": rounds,
        "keystroke_to_frame": ms_summary([s["frame"] for s in every]),
        "input_handler": ms_summary([s["sync"] for s in every]),
        "by_kind_keystroke_to_frame": {kind: ms_summary([s["frame"] for s in samples])
                                       for kind, samples in by_kind.items()},
        "results_per_query": {q: next(s["count"] for s in by_kind[kind] if s["query"] == q)
                              for kind, q in QUERIES + EXTRA_QUERIES},
        "max_cards_in_dom": max(s["cards"] for s in every),
        "baseline_array_filter": {"products": baseline["products"],
                                  **ms_summary([s["ms"] for s in baseline["samples"]])},
    }
    return result


def run(loads: int, rounds: int, throttles: list[float]) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    results = {"viewport": VIEWPORT, "runs": {}, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    with Hub("kiosk-page", {"kiosk": 1}) as hub, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results["chromium"] = browser.version
            for throttle in throttles:
                label = f"cpu_x{throttle:g}"
                print(f"[{label}] {loads} cold loads…", file=sys.stderr)
                load = cold_loads(browser, hub, loads, throttle)
                print(f"[{label}] {len(QUERIES)} queries x {rounds}…", file=sys.stderr)
                results["runs"][label] = {"first_screen": load, "search": searches(browser, hub, rounds, throttle)}
        finally:
            browser.close()
    results["load_after"] = os.getloadavg()[0]
    return results


def report(results: dict) -> str:
    def span(figure: dict) -> str:
        return f"{figure['median_ms']:8.1f} / {figure['max_ms']:.1f} ms"

    def spread(figure: dict) -> str:
        return f"median {figure['median_ms']:6.2f} ms   p95 {figure['p95_ms']:6.2f} ms"

    lines = [f"Kiosk page, full demo catalog, chromium {results.get('chromium', '?')}, "
             f"{results['viewport']['width']}x{results['viewport']['height']}; {results.get('cpus')} CPUs,"
             f" load average {results.get('load_before', 0):.1f} before, {results.get('load_after', 0):.1f} after"]
    for label, figures in results["runs"].items():
        load, found = figures["first_screen"], figures["search"]
        handler, base = found["input_handler"], found["baseline_array_filter"]
        lines += [
            f"\n[{label}]",
            f"  first usable screen ({load['loads']} cold loads, median / max from navigation start):",
            f"    attract shown          {span(load['attract_shown'])}",
            f"    catalog fetched        {span(load['catalog_fetched'])}",
            f"    grid rendered          {span(load['grid_rendered'])}   ({load['products_listed']} products listed,"
            f" {load['cards_in_dom']} cards in the DOM)",
            f"    stock live, can order  {span(load['live'])}",
            f"  search, keystroke -> results rendered ({found['queries']} queries x {found['rounds']}):",
            f"    all        {spread(found['keystroke_to_frame'])}   max {found['keystroke_to_frame']['max_ms']:.2f} ms",
        ]
        lines += [f"    {kind:10} {spread(summary)}" for kind, summary in found["by_kind_keystroke_to_frame"].items()]
        lines += [
            f"    input handler alone (index filter + windowed render): {spread(handler)};"
            f" at most {found['max_cards_in_dom']} cards in the DOM",
            f"  baseline, bare Array.filter(includes) over {base['products']} names:"
            f" median {base['median_ms']:.3f} ms, p95 {base['p95_ms']:.3f} ms",
        ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kiosk_page", description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="cold page loads per CPU speed (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="times each query is measured (default 3)")
    parser.add_argument("--throttle", default="1,4", help="CPU slow-down factors, comma separated (default 1,4)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    results = run(args.loads, args.rounds, [float(x) for x in args.throttle.split(",")])
    results["seconds"] = round(time.monotonic() - started, 1)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
