"""python -m rehearsal: play a compressed expo day against a real hub on 127.0.0.1, break things on purpose,
and prove nothing was lost.

    python -m rehearsal [--scenario config/rehearsal.toml] [--minutes N] [--seed S] [--load F] [--out DIR]

Exit code 0 when the audit finds nothing wrong, 1 when it finds a violation. The report is DIR/index.html.
"""
import argparse
import json
import sys
import time
from pathlib import Path

from rehearsal import audit, report, scenario as scenarios
from rehearsal.run import rehearse

ROOT = Path(__file__).resolve().parent.parent


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m rehearsal", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "config" / "rehearsal.toml")
    parser.add_argument("--minutes", type=float, help="real minutes the whole day takes (the scenario's by default)")
    parser.add_argument("--seed", type=int, default=1, help="the same seed makes the same choices")
    parser.add_argument("--load", type=float, help="scales the scenario's visitors (0.1: a tenth; the scenario's by default)")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "rehearsal")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    scenario = scenarios.load(args.scenario)
    minutes = args.minutes or scenario.minutes
    if not 0.2 <= minutes <= 240:
        raise SystemExit("--minutes must be between 0.2 and 240")
    began = time.monotonic()
    run = rehearse(scenario, args.out, minutes=minutes, seed=args.seed, say=lambda line: print(line, flush=True),
                   load=args.load if args.load is not None else scenario.load)
    run["scenario_path"] = args.scenario
    verdicts = audit.audit(run)
    figures = report.figures(run)
    page = report.write(args.out, run, verdicts, figures)
    (args.out / "verdict.json").write_text(json.dumps({"verdicts": verdicts, "figures": figures}, indent=1,
                                                      ensure_ascii=False))
    for line in report.headline(figures, verdicts):
        print(line)
    for verdict in verdicts:
        print(f"{'ok  ' if verdict['ok'] else 'FAIL'} {verdict['check']}: {verdict['detail']}")
    print(f"report: {page}  ({time.monotonic() - began:.0f} s)")
    return 0 if all(v["ok"] for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
