"""bench/scale.py: its model on made-up figures, and its tiny form end to end against a real cluster (a hub
process, two through a redis-server of its own, and nginx in front), so that it cannot rot."""
import json
import subprocess
import sys
from pathlib import Path

import psutil

from bench.scale import model

ROOT = Path(__file__).resolve().parent.parent


def cpu(**changes):
    figures = {"one_us": 25.0, "serving_own_us": 25.0, "writer_event_us": 400.0, "redis_event_us": 40.0,
               "nginx_us": 10.0}
    return {**figures, **changes}


def test_the_model_gives_the_cores_to_deliveries_less_the_writer_and_redis_per_event_work():
    rows = model(cpu())
    assert [row["cores"] for row in rows] == list(range(1, 9))
    assert rows[0]["deliveries_per_s"] == 40_000  # one process: a core at 25 us per delivery in all
    # two cores: 2 s of CPU a second less 50 events x (400 + 40 x 2/2) us, at 25 us per delivery
    assert rows[1]["deliveries_per_s"] == round((2e6 - 50 * 440) / 25)
    assert rows[1]["writer_and_redis_share"] == round(50 * 440 / 2e6, 3)
    assert all(a["deliveries_per_s"] < b["deliveries_per_s"] for a, b in zip(rows, rows[1:]))
    # nginx's one worker is one core at most, however many cores the hub processes have
    assert rows[-1]["via_nginx_per_s"] == 100_000


def test_one_process_pays_the_same_work_per_event_less_the_publish_and_redis():
    rows = model(cpu(one_delivery_us=20.0))
    assert rows[0]["deliveries_per_s"] == round((1e6 - 50 * 400) / 20)
    assert rows[0]["writer_and_redis_share"] == round(50 * 400 / 1e6, 3)


def test_a_dearer_delivery_through_redis_shows_as_less_than_n_times_one_process():
    rows = model(cpu(serving_own_us=32.5))
    assert rows[3]["vs_one_process_times_cores"] < 0.8


def test_the_tiny_form_runs_end_to_end_and_stops_everything_it_started(tmp_path):
    out = tmp_path / "scale.json"
    run = subprocess.run([sys.executable, "-m", "bench", "scale", "--quick", "--listeners", "20", "--tills", "2",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text())
    results, table = report["results"], run.stdout[-5000:]
    one, two = results["one"], results["two"]
    assert one["push"]["connected"] == 20 and two["push"]["connected"] == two["nginx"]["connected"] == 40, table
    for run_ in (one["push"], two["push"], two["nginx"]):
        assert run_["lost"] == 0 and run_["duplicates"] == 0 and run_["send_failures"] == {}, table
        assert all(0 < group["latency"]["p50_ms"] <= group["latency"]["p99_ms"] < 5000
                   for group in run_["groups"]), table
    # every part of the cluster did work: both hub processes, redis-server, and nginx in front
    writer, serving, redis = two["push"]["servers_cpu_us_per_delivery"]
    assert writer > 0 and serving > 0 and redis >= 0, table
    assert two["nginx"]["servers_cpu_us_per_delivery"][3] > 0, table
    assert [group["connected"] for group in two["push"]["groups"]] == [20, 20], table
    # the kernel's count of connections into each port: 20 listeners each, then least_conn's even spread
    assert two["push"]["probe"] == [20, 20], table
    assert sum(two["nginx"]["probe"]) == 40 and min(two["nginx"]["probe"]) >= 15, table
    for checkouts in (*one["checkouts"], *two["checkouts"]):
        assert checkouts["clients"] == 2 and checkouts["sales"] > 0 and checkouts["errors"] == {}, table
    assert len(set(two["pids"])) == 2 and two["alive_at_end"] == [True, True], table
    assert len(results["model"]) == 8 and results["model"][0]["deliveries_per_s"] > 0, table
    assert [goal["met"] in (True, False) for goal in report["goals"]] == [True] * 4, table  # one till count
    assert "d. Model" in run.stdout and "Goals (issue 17)" in run.stdout
    # nothing it started outlives it
    for pid in [*two["pids"], two["redis_pid"], two["nginx_pid"]]:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, pid
