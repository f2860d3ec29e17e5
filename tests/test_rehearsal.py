"""The hall rehearsal in CI: a one-minute day against a real hub on 127.0.0.1 with every fault on the schedule,
and its audit. The audit must pass on the real run, and must fail when the record is changed behind its back
(each check is shown to bite on a copy of the run's own evidence)."""
import copy
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from rehearsal import audit, report, scenario as scenarios
from rehearsal.run import rehearse

ROOT = Path(__file__).resolve().parent.parent
CI_SCENARIO = ROOT / "config" / "rehearsal-ci.toml"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rehearsal")
    day = scenarios.load(CI_SCENARIO)
    result = rehearse(day, folder, minutes=day.minutes, seed=7, load=day.load, say=lambda line: None)
    result["scenario_path"] = CI_SCENARIO
    result["folder"] = folder
    return result


def checks(run) -> dict[str, dict]:
    return {verdict["check"]: verdict for verdict in audit.audit(run)}


def events(run, kind: str) -> list[dict]:
    with sqlite3.connect(f"file:{run['db_path']}?mode=ro", uri=True) as db:
        return [json.loads(data) for (data,) in db.execute("SELECT data FROM events WHERE type = ?", [kind])]


def test_a_short_day_with_every_fault_passes_the_audit(run):
    failed = [v for v in checks(run).values() if not v["ok"]]
    assert not failed, json.dumps(failed, ensure_ascii=False, indent=1)
    assert {mark["kind"] for mark in run["faults"]} == set(scenarios.FAULT_KINDS)
    assert all(mark["end"] for mark in run["faults"])


def test_every_fault_bit(run):
    """A fault that changed nothing would prove nothing: each one shows in what the screens or the hub saw."""
    history = run["history"]
    cut = next(m for m in run["faults"] if m["kind"] == "tills_cut")["detail"].split(", ")
    assert any(s["offline"] and s["device"] in cut and s["state"] == "booked" for s in history["sales"])
    # The hub was killed once and started again; tills that were never cut sold offline meanwhile.
    assert run["hub_starts"] == 2
    assert any(s["offline"] and s["device"] not in cut for s in history["sales"])
    assert any(e["status"] == "paper_out" for e in events(run, "printer.status"))
    assert history["errors"]["hold"]["limit_reached"] > 0
    assert any(s["device"] == "scanner-1" and s["offline"] and s["admitted"] for s in history["scans"])
    slow = next(m for m in run["faults"] if m["kind"] == "slow_disk")
    during = [a[1] for a in history["acks"] if slow["start"] <= a[0] < slow["end"] and a[3] == "checkout"]
    assert during and max(during) >= 150


def test_the_report_answers_first_and_draws_from_its_own_folder(run):
    verdicts = audit.audit(run)
    numbers = report.figures(run)
    page = report.write(run["folder"] / "report", run, verdicts, numbers)
    text = page.read_text(encoding="utf-8")
    assert text.index("At this scenario's peak") < text.index("<h2>Audit")
    assert f"the hub used {numbers['peak_cpu_percent']}% of a core" in text
    assert '<script src="chart.umd.min.js">' in text and "http" not in text.split("<script", 1)[1].split(">")[0]
    assert (page.parent / "chart.umd.min.js").stat().st_size > 100_000
    assert numbers["sales"] > 0 and numbers["peak_slowest_till_ms"] is not None


def tampered(run, tmp_path, sql: str = "", history=None, printers=None) -> dict:
    """A copy of the run with its record changed by `sql` (and its history or paper replaced)."""
    copy_path = tmp_path / "hall.db"
    shutil.copyfile(run["db_path"], copy_path)
    if sql:
        with sqlite3.connect(copy_path) as db:
            db.executescript(sql)
    return {**run, "db_path": copy_path, "history": history or run["history"], "printers": printers or run["printers"]}


def first_booked(run, offline: bool) -> dict:
    return next(s for s in run["history"]["sales"] if s["state"] == "booked" and s["offline"] == offline)


@pytest.mark.parametrize("check, change", [
    ("every sale in the books exactly once",
     lambda run: {"sql": f"DELETE FROM sales WHERE sale_id = '{first_booked(run, True)['sale_id']}'"}),
    ("money per till equals the books",
     lambda run: {"sql": f"UPDATE sales SET total = total + 1 WHERE sale_id = '{first_booked(run, False)['sale_id']}'"}),
    ("stock equals a replay of the event log",
     lambda run: {"sql": "UPDATE products SET on_hand = on_hand + 1 WHERE sku = 'P00001'"}),
    ("no screen stale after its last sync",
     lambda run: {"sql": "UPDATE products SET on_hand = on_hand + 1 WHERE sku = 'P00001'"}),
    ("no ticket admitted twice",
     lambda run: {"sql": "INSERT INTO demo_scans SELECT scan_id || '-again', ticket_id, door, at, reason, offline_at"
                         " FROM demo_scans WHERE reason = 'admitted' LIMIT 1"}),
    ("every hold expired or consumed",
     lambda run: {"sql": "UPDATE holds SET status = 'active' WHERE hold_id = (SELECT hold_id FROM holds LIMIT 1)"}),
    ("every receipt printed",
     lambda run: {"printers": {name: [job for job in jobs if first_booked(run, False)["receipt_no"].encode() not in job]
                               for name, jobs in run["printers"].items()}}),
    ("no internal error",
     lambda run: {"history": {**run["history"], "internal": [{"device": "pos-1", "command": "checkout",
                                                              "message": "boom"}]}}),
    ("every sale in the books exactly once",
     lambda run: {"history": {**run["history"], "sales": run["history"]["sales"] + [
         {**first_booked(run, True), "sale_id": "00000000-0000-4000-8000-000000000000", "state": "waiting"}]}}),
])
def test_the_audit_catches_a_changed_record(run, tmp_path, check, change):
    assert checks(run)[check]["ok"]
    verdict = checks(tampered(run, tmp_path, **change(run)))[check]
    assert not verdict["ok"] and verdict["failures"]


def test_a_stale_screen_is_caught(run, tmp_path):
    history = copy.deepcopy(run["history"])
    history["screens"][0]["stock"]["P00001"] = [-1, -1]
    verdict = checks(tampered(run, tmp_path, history=history))["no screen stale after its last sync"]
    assert not verdict["ok"] and history["screens"][0]["name"] in verdict["failures"][0]


@pytest.mark.parametrize("change, says", [
    (('kind = "hub_kill"', 'kind = "hub_on_fire"'), "kind 'hub_on_fire' is not one of"),
    (('at = "14:15"', 'at = "19:00"'), "at must be within the day"),
    (('closes = "18:00"', 'closes = "08:00"'), "closes must be after opens"),
])
def test_a_scenario_mistake_is_named(tmp_path, change, says):
    text = (ROOT / "config" / "rehearsal.toml").read_text(encoding="utf-8")
    assert change[0] in text
    (tmp_path / "day.toml").write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(ValueError, match=says):
        scenarios.load(tmp_path / "day.toml")
