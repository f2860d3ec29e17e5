"""Where the hub's Python time goes: one benchmark run with the hub under py-spy, summed by part.

  python -m bench.profile checkouts [--clients 32] [--seconds 8]
  python -m bench.profile push [--listeners 200] [--seconds 8]

py-spy samples the hub's threads that hold the GIL (CPU spent in Python, the
kernel's send and fsync time left out) 250 times a second. Samples are put in
the first part whose frame appears in the stack, so each is counted once; the
table gives each part's share of each thread, and the time per sale or per
delivery. Start-up (imports, catalog load) is left out. Needs py-spy (the test
extras install it); it starts the hub as its child, so no ptrace permission
beyond the machine's defaults is needed.
"""
import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import checkouts, push
from .hubproc import remove, scratch_dir

SAMPLES_PER_SECOND = 250
START_UP = ("_find_and_load", "create_app", "patch_all")
# (part, a frame that marks it), first match wins: the order puts the narrower parts first.
PARTS = [
    ("writer thread: the commands and their commit", "Writer._drain"),
    ("writer thread: waiting for work", "Queue.get (gevent/_threading.py"),
    ("deliver events (broadcaster, fan-out)", "Hall._deliver"),
    ("run a command (handler, ack)", "_handle_event_internal"),
    ("receive frames (websocket read)", "websocket_wait"),
    ("Engine.IO writer greenlets", "_websocket_handler.<locals>.writer"),
    ("python-socketio / Engine.IO other", "socketio/server.py"),
    ("gevent loop", "Hub.run (gevent/hub.py"),
]


def summarise(raw: Path) -> dict:
    """{thread: {part: samples}} from py-spy's raw (collapsed stack) output."""
    threads: dict[str, Counter] = {}
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or any(marker in stack for marker in START_UP):
            continue
        thread = stack.split(";", 1)[0]
        part = next((name for name, frame in PARTS if frame in stack), "other")
        threads.setdefault(thread, Counter())[part] += int(count)
    return {thread: dict(parts.most_common()) for thread, parts in threads.items()}


def report(summary: dict, units: int, unit: str) -> str:
    lines = []
    for thread, parts in sorted(summary.items(), key=lambda item: -sum(item[1].values())):
        total = sum(parts.values())
        lines.append(f"{thread}: {total} samples = {total / SAMPLES_PER_SECOND:.2f} s holding the GIL")
        for part, samples in parts.items():
            per_unit = 1e6 * samples / SAMPLES_PER_SECOND / max(1, units)
            lines.append(f"  {part:42} {samples:6d}  {100 * samples / total:5.1f}%  {per_unit:7.1f} us/{unit}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("checkouts", "push"))
    parser.add_argument("--clients", type=int, default=32, help="POS clients (checkouts)")
    parser.add_argument("--listeners", type=int, default=200, help="kiosk listeners (push)")
    parser.add_argument("--client", default="js", choices=("js", "AsyncClient", "lean"))
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--keep", help="also copy py-spy's raw file here")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    folder = scratch_dir("profile")
    try:
        return _profile(args, folder / "hub.pyspy.txt")
    finally:
        remove(folder)


def _profile(args, raw: Path) -> int:
    if args.what == "checkouts":
        run = checkouts.through_hub([(args.clients, args.client)], args.seconds, profile_to=raw)["runs"][0]
        units, unit = run["sales"], "sale"
        figures = {k: run[k] for k in ("clients", "client_kind", "sales", "rate_per_s", "foreign_cpu_percent")}
    else:
        run = push.through_hub([(args.listeners, args.client)], seconds=args.seconds, rate=50,
                               profile_to=raw)["runs"][0]
        units, unit = run["delivered"], "delivery"
        figures = {k: run[k] for k in ("listeners", "listener_client", "delivered", "latency", "foreign_cpu_percent")}
    if not raw.exists():
        print("py-spy wrote no profile (is it installed? `pip install -e '.[test]'`)", file=sys.stderr)
        return 1
    if args.keep:
        Path(args.keep).write_bytes(raw.read_bytes())
    print(json.dumps(figures))
    print("(the hub's CPU figures above count py-spy too; the profile below is the hub's alone)")
    print(report(summarise(raw), units, unit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
