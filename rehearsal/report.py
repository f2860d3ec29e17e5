"""The rehearsal's report: the organiser's answer in its first lines, the day in charts, the audit's verdict.

One HTML file beside its chart library (Chart.js, pinned in web/package.json, copied into the report folder):
nothing comes from the internet, and the folder can be opened anywhere or served as it is.
"""
import html
import json
import shutil
from pathlib import Path

from bench.stats import percentile

ROOT = Path(__file__).resolve().parent.parent
CHART_JS = ROOT / "web" / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"
BIN_MINUTES = 5


def _clock(minute: float) -> str:
    return f"{int(minute) // 60:02d}:{int(minute) % 60:02d}"


class DayClock:
    """Turns a wall time (ms) into the minute of the rehearsed day."""

    def __init__(self, run: dict):
        self.start, self.spm = run["started_ms"], run["seconds_per_minute"]
        self.opens = run["scenario"].opens

    def minute(self, wall_ms: float) -> float:
        return self.opens + (wall_ms - self.start) / 1000 / self.spm

    def wall(self, minute: float) -> float:
        return self.start + (minute - self.opens) * self.spm * 1000


def _bins(points, clock: DayClock, reduce, end: float):
    """[[minute of the bin, value]] over BIN_MINUTES bins of the day, from (wall ms, value) points."""
    groups: dict[int, list] = {}
    for wall, value in points:
        minute = clock.minute(wall)
        if minute <= end + BIN_MINUTES:
            groups.setdefault(int(minute // BIN_MINUTES), []).append(value)
    return [[key * BIN_MINUTES, reduce(values)] for key, values in sorted(groups.items())]


def figures(run: dict) -> dict:
    """The numbers the report and BENCHMARKS.md give."""
    history, scenario = run["history"], run["scenario"]
    clock = DayClock(run)
    peak = scenario.peak_hour()
    peak_from, peak_to = clock.wall(peak), clock.wall(peak + 60)
    checkout_acks = [a for a in history["acks"] if a[3] == "checkout"]
    at_peak = [a[1] for a in checkout_acks if peak_from <= a[0] < peak_to]
    cpu = [s for s in run["samples"] if peak_from <= s["t"] <= peak_to]
    cpu_share = ((cpu[-1]["cpu"] - cpu[0]["cpu"]) / ((cpu[-1]["t"] - cpu[0]["t"]) / 1000) * 100
                 if len(cpu) > 1 else None)
    busiest = 0.0
    for first, last in zip(run["samples"], run["samples"][5:]):
        busiest = max(busiest, (last["cpu"] - first["cpu"]) / ((last["t"] - first["t"]) / 1000) * 100)
    latencies = sorted(a[1] for a in checkout_acks)
    push = sorted(p[1] for p in history["push"])
    replays = [a[1] for a in history["acks"] if a[3] == "checkout replay"]
    booked = [s for s in history["sales"] if s["state"] == "booked"]
    speed = 60 / run["seconds_per_minute"]
    return {
        "peak": f"{_clock(peak)}–{_clock(peak + 60)}", "peak_visitors": scenario.visitors[peak],
        "speed": round(speed, 1), "load": run["load"], "minutes": run["minutes"], "seed": run["seed"],
        "peak_cpu_percent": None if cpu_share is None else round(cpu_share),
        "busiest_5s_cpu_percent": round(busiest),
        "peak_slowest_till_ms": round(max(at_peak)) if at_peak else None,
        "peak_p99_till_ms": round(percentile(at_peak, 0.99)) if at_peak else None,
        "ack_p50_ms": round(percentile(latencies, 0.5)) if latencies else None,
        "ack_p99_ms": round(percentile(latencies, 0.99)) if latencies else None,
        "replay_p99_ms": round(percentile(replays, 0.99)) if replays else None,
        "push_p50_ms": round(percentile(push, 0.5)) if push else None,
        "push_p99_ms": round(percentile(push, 0.99)) if push else None,
        "sales": len(booked), "offline_sales": sum(1 for s in booked if s["offline"]),
        "takings": sum(s["total"] for s in booked), "holds": len(history["holds"]),
        "tickets": len(history["tickets"]), "scans": len(history["scans"]), "restocks": history["restocks"],
        "hub_starts": run["hub_starts"],
    }


def series(run: dict) -> dict:
    history, scenario = run["history"], run["scenario"]
    clock = DayClock(run)
    end = scenario.closes
    booked = [(s["made_at"], 1) for s in history["sales"] if s["state"] == "booked"]
    acks = [(a[0], a[1]) for a in history["acks"] if a[3] == "checkout"]
    p = lambda q: (lambda values: round(percentile(values, q), 1))  # noqa: E731
    queues: dict[str, list] = {}
    printers = sorted({p for sample in run["samples"] for p in sample.get("queues", {})})
    for sample in run["samples"]:
        for printer in printers:
            # null while the hub is down: a gap in the line, not a slope across the outage
            queues.setdefault(printer, []).append([round(clock.minute(sample["t"]), 2),
                                                   sample.get("queues", {}).get(printer)])
    return {
        "sales_per_minute": [[m, round(v / BIN_MINUTES, 1)] for m, v in _bins(booked, clock, len, end)],
        "ack_p50": _bins(acks, clock, p(0.5), end), "ack_p99": _bins(acks, clock, p(0.99), end),
        "push_p50": _bins(history["push"], clock, p(0.5), end), "push_p99": _bins(history["push"], clock, p(0.99), end),
        "queues": queues,
        "offline_waiting": [[round(clock.minute(t), 2), waiting] for t, waiting, _ in history["samples"]],
        "faults": [{"kind": f["kind"], "detail": f["detail"], "from": round(clock.minute(f["start"]), 1),
                    "to": round(clock.minute(f["end"] or f["start"]), 1)} for f in run["faults"]],
        "opens": scenario.opens, "closes": scenario.closes,
    }


def headline(figures: dict, verdicts: list[dict]) -> list[str]:
    """The organiser's answer, first: the peak's load on the hub and the slowest till's wait."""
    ok = all(v["ok"] for v in verdicts)
    crowd = "" if figures["load"] == 1 else f" with ×{figures['load']:g} of its visitors"
    return [
        f"At this scenario's peak ({figures['peak']}, {figures['peak_visitors']:,} visitors an hour, the day "
        f"played {figures['speed']:g}× faster{crowd}: {figures['speed'] * figures['load']:g}× the real rate) "
        f"the hub used {figures['peak_cpu_percent']}% of a core and the slowest till waited "
        f"{figures['peak_slowest_till_ms']} ms (p99 {figures['peak_p99_till_ms']} ms).",
        f"The day: {figures['sales']:,} sales (₩{figures['takings']:,}; {figures['offline_sales']} made offline "
        f"and replayed), {figures['holds']:,} kiosk orders, {figures['tickets']} demo tickets, "
        f"{figures['restocks']} restocks; the hub was started {figures['hub_starts']} times.",
        f"Audit: {'nothing lost, nothing counted twice' if ok else 'VIOLATIONS FOUND'} "
        f"({sum(v['ok'] for v in verdicts)}/{len(verdicts)} checks pass).",
    ]


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hall rehearsal</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #1d2430; }}
.lead {{ font-size: 1.2rem; }} .ok {{ color: #176b3a; }} .fail {{ color: #b3261e; font-weight: 600; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border-bottom: 1px solid #d8dde6; padding: .35rem .5rem;
text-align: left; vertical-align: top; }} .chart {{ height: 260px; margin: 1rem 0 2rem; }}
code {{ font-size: .85rem; }}
</style></head><body>
<h1>Hall rehearsal</h1>
{lead}
<p>Scenario <code>{scenario}</code>, {minutes:g} real minutes, seed {seed}, load ×{load:g}. Shaded bands on every chart
are the faults: {fault_list}.</p>
<h2>Audit</h2>
<table><tr><th>check</th><th>verdict</th><th>detail</th></tr>{rows}</table>
<h2>Sales per minute of the day</h2><div class="chart"><canvas id="sales"></canvas></div>
<h2>Till ack latency (a live checkout, the buyer waiting; offline replays apart), ms</h2><div class="chart"><canvas id="acks"></canvas></div>
<h2>Stock push latency (commit to a kiosk), ms</h2><div class="chart"><canvas id="push"></canvas></div>
<h2>Print queue depth per printer</h2><div class="chart"><canvas id="queues"></canvas></div>
<h2>Offline sales waiting in the tills' outboxes</h2><div class="chart"><canvas id="offline"></canvas></div>
<script id="data" type="application/json">{data}</script>
<script src="chart.umd.min.js"></script>
<script src="charts.js"></script>
</body></html>
"""

CHARTS_JS = """// Draws the report's charts from the JSON in the page; fault periods are shaded on every chart.
const data = JSON.parse(document.getElementById("data").textContent);
const clock = (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(Math.floor(m % 60)).padStart(2, "0")}`;
const colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];
const faultColours = { hub_kill: "rgba(214,39,40,.18)", tills_cut: "rgba(255,127,14,.15)",
  paper_out: "rgba(148,103,189,.15)", slow_disk: "rgba(140,86,75,.15)", hold_flood: "rgba(227,119,194,.15)",
  scanner_offline: "rgba(23,190,207,.15)" };
const faults = {
  id: "faults",
  beforeDatasetsDraw(chart) {
    const { ctx, chartArea: area, scales: { x } } = chart;
    ctx.save();
    ctx.font = "11px system-ui";
    data.faults.forEach((f, i) => {
      const from = x.getPixelForValue(f.from), to = Math.max(x.getPixelForValue(f.to), from + 2);
      ctx.fillStyle = faultColours[f.kind] || "rgba(0,0,0,.1)";
      ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
      ctx.fillStyle = "#444";
      ctx.fillText(f.kind, from + 2, area.top + 11 + (i % 3) * 12);
    });
    ctx.restore();
  },
};
function draw(id, sets, yTitle) {
  new Chart(document.getElementById(id), {
    type: "line",
    data: { datasets: sets.map(([label, points], i) => ({ label, data: points.map(([x, y]) => ({ x, y })), spanGaps: false,
      borderColor: colours[i % colours.length], pointRadius: 0, borderWidth: 1.5, stepped: false })) },
    options: { animation: false, maintainAspectRatio: false, parsing: false,
      scales: { x: { type: "linear", min: data.opens, max: data.closes, ticks: { stepSize: 60, callback: clock } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } } } },
    plugins: [faults],
  });
}
draw("sales", [["sales per minute", data.sales_per_minute]], "sales / day minute");
draw("acks", [["p50", data.ack_p50], ["p99", data.ack_p99]], "ms");
draw("push", [["p50", data.push_p50], ["p99", data.push_p99]], "ms");
draw("queues", Object.entries(data.queues), "jobs queued");
draw("offline", [["offline sales waiting", data.offline_waiting]], "sales");
"""


def write(folder: Path, run: dict, verdicts: list[dict], numbers: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(CHART_JS, folder / "chart.umd.min.js")
    (folder / "charts.js").write_text(CHARTS_JS, encoding="utf-8")
    rows = "".join(
        f"<tr><td>{html.escape(v['check'])}</td><td class=\"{'ok' if v['ok'] else 'fail'}\">"
        f"{'pass' if v['ok'] else 'FAIL'}</td><td>{html.escape(v['detail'])}"
        + "".join(f"<br><code>{html.escape(f)}</code>" for f in v["failures"]) + "</td></tr>"
        for v in verdicts)
    lines = headline(numbers, verdicts)
    lead = f"<p class=\"lead\"><strong>{html.escape(lines[0], quote=False)}</strong></p>" + "".join(
        f"<p>{html.escape(line, quote=False)}</p>" for line in lines[1:])
    marks = series(run)["faults"]
    fault_list = ", ".join(f"{html.escape(f['kind'])} {_clock(f['from'])}–{_clock(f['to'])} "
                           f"({html.escape(f['detail'])})" for f in marks) or "none"
    data = json.dumps(series(run)).replace("</", "<\\/")
    page = folder / "index.html"
    page.write_text(PAGE.format(lead=lead, scenario=html.escape(str(run["scenario_path"])), minutes=run["minutes"],
                                seed=run["seed"], load=run["load"], fault_list=fault_list, rows=rows, data=data),
                    encoding="utf-8")
    return page
