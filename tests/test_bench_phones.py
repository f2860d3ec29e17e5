"""bench/phones.py: its scoring on a made-up history, and its small mode end to end against a real hub."""
import json
import subprocess
import sys
import tomllib
from pathlib import Path

from bench.phones import choose_watches, ranked_products, score

ROOT = Path(__file__).resolve().parent.parent
# The bench runs the shipped hall.toml's pace.
PUSH_INTERVAL_MS = tomllib.loads((ROOT / "config" / "hall.toml").read_text(encoding="utf-8"))["visitor"]["push_interval_ms"]


def phone(watch, pushes, ack_seq=10):
    return {"index": 0, "visitor": "v-0000000000", "watch": watch, "ack_seq": ack_seq, "pushes": pushes}


def test_a_change_merged_into_a_later_push_counts_from_its_own_commit():
    events = {"A": [(11, 1000.0, 99), (12, 1100.0, 98)]}
    scored = score([phone(["A"], [[1300.0, 12, "A", 98]])], events, (0, 10_000))
    assert sorted(scored["latency"][key] for key in ("p50_ms", "max_ms")) == [200.0, 300.0]
    assert (scored["changes_delivered"], scored["lost"], scored["stale_values"]) == (2, 0, 0)
    assert scored["newest_value_latency"]["max_ms"] == 200.0  # the value shown is 98, committed at 1100


def test_a_product_the_phone_did_not_watch_and_a_value_older_than_the_push_are_caught():
    events = {"A": [(11, 1000.0, 99), (12, 1010.0, 98)], "B": [(13, 1020.0, 5)]}
    scored = score([phone(["A"], [[1100.0, 13, "A", 99, "B", 5]])], events, (0, 10_000))
    assert scored["foreign_products"] == 1
    assert scored["stale_values"] == 1  # seq 13 covers A's 98, not its 99


def test_a_change_never_pushed_is_lost_and_one_from_before_the_watch_is_not_owed():
    events = {"A": [(9, 900.0, 100), (11, 1000.0, 99)], "B": [(12, 1000.0, 7)]}
    scored = score([phone(["A", "B"], [[1050.0, 11, "A", 99]])], events, (0, 10_000))
    assert (scored["changes_delivered"], scored["lost"]) == (1, 1)


def test_pushes_are_counted_per_phone_per_second_and_by_their_gaps():
    events = {"A": [(11 + n, 1000.0 + 100 * n, 99 - n) for n in range(6)]}
    pushes = [[1050.0 + 100 * n, 11 + n, "A", 99 - n] for n in range(6)]
    scored = score([phone(["A"], pushes)], events, (0, 2000))
    assert scored["max_pushes_per_phone_per_s"] == 6
    assert scored["fastest_phone_pushes_per_s"] == 3.0  # six in a two-second window
    assert scored["push_gap_ms"]["min"] == 100.0


def test_phones_watch_distinct_products_the_best_sellers_most():
    ranked = ranked_products()
    watches = choose_watches(ranked, 400, 20)
    assert all(len(set(watch)) == 20 for watch in watches)
    first, hundredth = ranked[0]["sku"], ranked[99]["sku"]
    assert sum(first in w for w in watches) > 3 * sum(hundredth in w for w in watches)


def test_the_small_mode_runs_end_to_end_and_each_phone_hears_only_what_it_watches(tmp_path):
    out = tmp_path / "phones.json"
    run = subprocess.run([sys.executable, "-m", "bench", "phones", "--phones", "300", "--seconds", "20",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(out.read_text())
    results = report["results"]
    table = run.stdout[-4000:]  # what the bench printed, to read when an assertion fails
    phones, delivery = results["phones"], results["delivery"]
    assert phones["connected"] == phones["hub_counted"] == 300, table
    assert phones["watch_failures"] == {} and phones["disconnects"] == 0, table
    assert phones["broadcasts_heard"] == 0, table
    for window in (results["baseline"], results["with_phones"]):
        assert window["sales"] > 0 and window["restocks"] > 0 and window["errors"] == {}, table
    assert delivery["phones_scored"] == 300 and delivery["pushes"] > 300, table
    assert delivery["foreign_products"] == 0 and delivery["stale_values"] == 0, table
    assert delivery["lost"] == 0, table
    assert 0 < delivery["latency"]["p50_ms"] <= delivery["latency"]["p99_ms"] < 5000, table
    # Coalesced: no phone hears more than one push per interval over the window (the best sellers, on about
    # half the phones, change more often than that between them). Gaps between arrivals are no test: a client
    # process starved of CPU reads several frames in one go and stamps them alike.
    assert delivery["fastest_phone_pushes_per_s"] <= 1000 / PUSH_INTERVAL_MS + 0.2, table
    memory = results["memory"]
    assert 0 < memory["rss_before_mb"] < memory["rss_with_phones_mb"], table
    assert [goal["met"] in (True, False) for goal in report["goals"]] == [True, True, True], table
    assert "commit -> watching phone" in run.stdout and "Goals" in run.stdout
