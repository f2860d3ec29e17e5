"""python -m bench.payloads [--root PATH]: the time to parse one till's checkout payload (accepted, and refused
for a quantity sent as text), in this process, without a hub. --root measures another checkout's
hub/wire/payloads.py (an older version) the same way, for a before/after on one machine.

Median and minimum of 9 runs of 20,000 parses each; the minimum is the figure least disturbed by other work
on a shared machine.
"""
import argparse
import statistics
import sys
import timeit
import uuid

CHECKOUT = {"sale_id": str(uuid.UUID(int=1)), "lines": [{"sku": f"P{i:05d}", "qty": 1 + i % 3} for i in range(3)],
            "payments": [{"method": "cash", "amount": 50000},
                         {"method": "card", "amount": 12000, "approval_no": "30012345", "card_type": "신한",
                          "card_masked": "5123-****-****-1234"}],
            "sign_in": "s" * 43, "shift_id": str(uuid.UUID(int=2)), "offline_at": "2026-11-25T13:00:00+09:00"}
REFUSED = {**CHECKOUT, "lines": [{"sku": "P00001", "qty": 1}, {"sku": "P00002", "qty": "2"}]}
NUMBER = 20_000


def measure(root: str | None) -> dict:
    if root:
        sys.path.insert(0, root)
    from hub.errors import HallError
    from hub.wire import payloads

    def refused():
        try:
            payloads.checkout(REFUSED)
        except HallError:
            return
        raise AssertionError("the refused payload was accepted")

    results = {"module": payloads.__file__}
    for name, parse in (("accepted", lambda: payloads.checkout(CHECKOUT)), ("refused", refused)):
        runs = [timeit.timeit(parse, number=NUMBER) / NUMBER * 1e6 for _ in range(9)]
        results[name] = {"median_us": round(statistics.median(runs), 2), "min_us": round(min(runs), 2)}
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.payloads", description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="a checkout whose hub/ to measure instead of this one")
    found = measure(parser.parse_args(argv).root)
    print(f"checkout payload parse, {found['module']}")
    for name in ("accepted", "refused"):
        print(f"  {name:9} median {found[name]['median_us']:7.2f} µs   min {found[name]['min_us']:7.2f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
