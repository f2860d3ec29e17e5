"""python -m bench [--quick] [--only checkouts,push,memory,asyncmode]: run the benchmarks, print a table,
write bench/results/latest.json. `python -m bench phones [...]`: the visitors' phones (bench/phones.py).
`python -m bench scale [--quick]`: one hub process against several through Redis (bench/scale.py)."""
import argparse
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

from . import checkouts, machine, memory, push
from .bare import websocket_backend
from .hubproc import SEOUL
from .report import save, table, targets

RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = ("checkouts", "push", "memory", "asyncmode")
RATE = 50  # stock events per second

PLANS = {
    # about four minutes on two cores
    "full": {"bare_sqlite_s": 4,
             "checkout_runs": [[1, "AsyncClient"], [8, "AsyncClient"], [32, "AsyncClient"], [8, "js"], [32, "js"]],
             "checkout_s": 6,
             "push_runs": [[100, "AsyncClient"], [200, "AsyncClient"], [200, "lean"], [200, "js"]], "push_s": 10,
             "memory_settle_s": 2, "threading_runs": [[200, "AsyncClient"]], "retries": 1, "retry_until_s": 100,
             "quiet_wait_s": 3},
    # under a minute: the figures the targets are about, in short windows
    "quick": {"bare_sqlite_s": 2, "checkout_runs": [[8, "js"], [32, "js"]], "checkout_s": 3,
              "push_runs": [[200, "js"]], "push_s": 4, "memory_settle_s": 1.5,
              "threading_runs": [[200, "js"]], "retries": 0, "retry_until_s": 0,
              "quiet_wait_s": 1},
}


def describe_machine() -> dict:
    from importlib.metadata import version
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            **{name: version(name) for name in ("gevent", "python-socketio", "python-engineio", "flask-socketio")},
            "gevent_websocket_server": websocket_backend()}


def run(plan: dict, only: set[str], say) -> dict:
    machine.retry_deadline = time.monotonic() + plan["retry_until_s"]
    machine.quiet_wait_seconds = plan["quiet_wait_s"]
    results: dict = {"calibration_ms": [machine.calibrate()]}
    retries = plan["retries"]
    if "checkouts" in only:
        say("checkouts: bare SQLite")
        results["checkouts"] = {"bare_sqlite": checkouts.bare_sqlite(plan["bare_sqlite_s"], retries=retries)}
        runs = [tuple(run) for run in plan["checkout_runs"]]
        say(f"checkouts: through the hub, (POS clients, kind) {runs}")
        results["checkouts"]["hub"] = checkouts.through_hub(runs, plan["checkout_s"], retries=retries)
        results["calibration_ms"].append(machine.calibrate())
    if "push" in only:
        runs = [tuple(run) for run in plan["push_runs"]]
        say(f"push: hub, (listeners, kind) {runs}, {RATE} events/s, {plan['push_s']} s each")
        hub = push.through_hub(runs, seconds=plan["push_s"], rate=RATE, retries=retries)
        say("push: the same against a bare gevent python-socketio server")
        bare = push.bare("gevent", runs, seconds=plan["push_s"], rate=RATE, retries=retries)
        results["push"] = {"hub": hub, "bare_gevent": bare}
        results["calibration_ms"].append(machine.calibrate())
    if "memory" in only:
        say(f"memory: hub with {memory.CONNECTIONS} idle clients")
        results["memory"] = memory.hub_memory(settle=plan["memory_settle_s"])
    if "asyncmode" in only:
        runs = [tuple(run) for run in plan["threading_runs"]]
        say(f"async mode: bare threading python-socketio, (listeners, kind) {runs}")
        results["async_mode"] = {"threading": push.bare("threading", runs, seconds=plan["push_s"], rate=RATE,
                                                        retries=retries)}
        if "push" not in only:
            say("async mode: bare gevent python-socketio, the same listeners")
            results["async_mode"]["gevent"] = push.bare("gevent", runs, seconds=plan["push_s"], rate=RATE,
                                                        retries=retries)
        results["calibration_ms"].append(machine.calibrate())
    return results


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["phones"]:  # its own run, heavy, with its own options: python -m bench phones --help
        from . import phones
        return phones.main(argv[1:])
    if argv[:1] == ["scale"]:  # its own run too: python -m bench scale --help
        from . import scale
        return scale.main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short windows, 200 listeners only (under a minute)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"))
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    plan_name = "quick" if args.quick else "full"
    started = time.monotonic()

    def say(message):
        print(f"[{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)

    results = run(PLANS[plan_name], only, say)
    report = {"date": datetime.now(SEOUL).isoformat(timespec="seconds"), "plan": plan_name,
              "command": "python -m bench" + (" --quick" if args.quick else ""), "settings": PLANS[plan_name],
              "machine": describe_machine(), "results": results, "elapsed_s": round(time.monotonic() - started, 1)}
    report["targets"] = targets(results)
    save(report, args.out, table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
