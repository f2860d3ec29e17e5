"""The rehearsal's checker: what every screen saw acknowledged, against the hub's final record.

Each check is said the way a stock controller or an accountant would say it, and answers
{"check", "ok", "detail", "failures": [a few examples]}. The record is read from the hall's SQLite file
after the hub has stopped; nothing here asks the hub.
"""
import json
import re
import sqlite3
from collections import Counter, defaultdict

RECEIPT = re.compile(rb"\d{6}-\d{5}")
EXAMPLES = 5


def _verdict(check: str, failures: list, detail: str) -> dict:
    return {"check": check, "ok": not failures, "detail": detail if not failures else
            f"{len(failures)} violation(s); {detail}", "failures": [str(f) for f in failures[:EXAMPLES]]}


def sales_in_books_once(history: dict, db) -> dict:
    """Every sale a till made is in the books exactly once, under that till, and nothing else is."""
    booked = {row[0]: row[1] for row in db.execute("SELECT sale_id, device FROM sales")}
    failures = []
    made = [s for s in history["sales"] if s["state"] not in ("refused",)]
    for sale in made:
        if sale["state"] != "booked":
            failures.append(f"{sale['device']} sale {sale['sale_id']} {'offline ' if sale['offline'] else ''}"
                            f"never booked ({sale['state']} {sale.get('code') or ''})")
        elif booked.get(sale["sale_id"]) != sale["device"]:
            failures.append(f"{sale['device']} sale {sale['sale_id']} acknowledged but not in the books")
    ours = {s["sale_id"] for s in made}
    failures += [f"sale {sale_id} of {device} in the books, made by no till" for sale_id, device in booked.items()
                 if sale_id not in ours]
    ids = Counter(s["sale_id"] for s in history["sales"])
    failures += [f"sale id {i} made twice by the tills" for i, n in ids.items() if n > 1]
    offline = sum(1 for s in made if s["offline"])
    refused = sum(1 for s in history["sales"] if s["state"] == "refused")
    return _verdict("every sale in the books exactly once", failures,
                    f"{len(made)} sales made ({offline} offline, replayed), {len(booked)} in the books; "
                    f"{refused} refused online (sold out or an order gone) and not made")


def money_per_till(history: dict, db) -> dict:
    """What each till took equals what the books say it took."""
    taken = defaultdict(int)
    for sale in history["sales"]:
        if sale["state"] == "booked":
            taken[sale["device"]] += sale["total"]
    books = dict(db.execute("SELECT device, sum(total) FROM sales GROUP BY device").fetchall())
    failures = [f"{till}: till took ₩{taken.get(till, 0):,}, books say ₩{books.get(till, 0):,}"
                for till in sorted(set(taken) | set(books)) if taken.get(till, 0) != books.get(till, 0)]
    return _verdict("money per till equals the books", failures,
                    f"{len(books)} tills, ₩{sum(books.values()):,} in all")


def replayed_stock(db) -> dict[str, tuple[int, int]]:
    """{sku: (on_hand, available)} as the event log tells it: the catalog's stock, then every change."""
    replay: dict[str, tuple[int, int]] = {}
    for kind, data in db.execute("SELECT type, data FROM events WHERE type IN ('catalog.loaded', 'stock.changed')"
                                 " ORDER BY seq"):
        data = json.loads(data)
        if kind == "catalog.loaded":
            replay.update({sku: (on_hand, on_hand) for sku, on_hand in data["stock"].items()})
        else:
            replay[data["sku"]] = (data["on_hand"], data["available"])
    return replay


def stock_replays(db) -> dict:
    """Each product's stock is what replaying the event log gives."""
    replay = replayed_stock(db)
    failures = []
    for sku, on_hand, held in db.execute("SELECT sku, on_hand, held FROM products"):
        if replay.get(sku) != (on_hand, on_hand - held):
            failures.append(f"{sku}: table {on_hand}/{on_hand - held}, log replay {replay.get(sku)}")
    return _verdict("stock equals a replay of the event log", failures, f"{len(replay)} products replayed")


def receipts_printed(db, printers: dict[str, list[bytes]]) -> dict:
    """Every sale's receipt came out of a printer: at least once, and more than once only when the hub had
    to send it again (its job took more than one attempt: the printer failed or the hub died mid-job)."""
    on_paper: Counter = Counter()
    for jobs in printers.values():
        for job in jobs:
            for receipt in {m.decode() for m in RECEIPT.findall(job)}:
                on_paper[receipt] += 1
    failures, again = [], 0
    rows = db.execute("SELECT s.receipt_no, j.state, j.attempts FROM sales s LEFT JOIN print_jobs j"
                      " ON j.kind = 'receipt' AND j.ref = s.receipt_no AND j.reprint_of IS NULL").fetchall()
    reprints = Counter(ref for (ref,) in db.execute(
        "SELECT ref FROM print_jobs WHERE kind = 'receipt' AND reprint_of IS NOT NULL"))
    for receipt, state, attempts in rows:
        copies = on_paper[receipt]
        if state != "printed":
            failures.append(f"receipt {receipt}: job {state or 'missing'}")
        elif copies == 0:
            failures.append(f"receipt {receipt}: marked printed, never reached a printer")
        elif copies > 1 + reprints[receipt]:
            if (attempts or 0) > 1:
                again += 1
            else:
                failures.append(f"receipt {receipt}: {copies} copies from one attempt")
    return _verdict("every receipt printed", failures,
                    f"{len(rows)} receipts, {sum(on_paper.values())} on paper; {again} sent again after a failed "
                    f"attempt, {sum(reprints.values())} reprints")


def tickets_admitted_once(history: dict, db) -> dict:
    """No ticket let in twice: by the hub's record, by what the doors were told, and no offline conflict."""
    failures = [f"ticket {t} admitted {n} times in the record" for t, n in db.execute(
        "SELECT ticket_id, count(*) FROM demo_scans WHERE reason = 'admitted' GROUP BY ticket_id HAVING count(*) > 1")]
    told = Counter(s["ticket_id"] for s in history["scans"] if s.get("admitted"))
    failures += [f"ticket {t}: doors told 'admitted' {n} times" for t, n in told.items() if n > 1]
    failures += [f"conflict: {data}" for (data,) in db.execute("SELECT data FROM checkin_conflicts")]
    turned = sum(1 for s in history["scans"] if s.get("reason") in ("already_used", "already_used_offline"))
    return _verdict("no ticket admitted twice", failures,
                    f"{len(history['tickets'])} tickets booked, {sum(told.values())} admitted, "
                    f"{turned} second tries turned away")


def holds_closed(history: dict, db) -> dict:
    """Every kiosk order ended: paid at a till, released, or expired; none still holds stock."""
    states = dict(db.execute("SELECT hold_id, status FROM holds").fetchall())
    failures = [f"hold {h} still {s}" for h, s in states.items() if s == "active"]
    failures += [f"hold {h['hold_id']} acknowledged, not in the record" for h in history["holds"]
                 if h["state"] == "held" and h["hold_id"] not in states]
    held = db.execute("SELECT count(*) FROM products WHERE held > 0").fetchone()[0]
    if held:
        failures.append(f"{held} products still count units as held")
    by_state = Counter(states.values())
    return _verdict("every hold expired or consumed", failures,
                    ", ".join(f"{n} {s}" for s, n in sorted(by_state.items())) or "no holds")


def no_internal(history: dict, hub_log: str) -> dict:
    failures = [f"{e['device']} {e['command']}: {e['message']}" for e in history["internal"]]
    failures += [line for line in hub_log.splitlines() if "Traceback" in line]
    return _verdict("no internal error", failures,
                    f"{sum(sum(c.values()) for c in history['errors'].values())} refusals in all, by code: "
                    + json.dumps({cmd: codes for cmd, codes in sorted(history["errors"].items())}, ensure_ascii=False))


def screens_fresh(history: dict, db) -> dict:
    """After its last sync every screen shows each product's stock as the hub's record has it."""
    truth = {sku: [on_hand, on_hand - held] for sku, on_hand, held in
             db.execute("SELECT sku, on_hand, held FROM products")}
    failures = []
    for screen in history["screens"]:
        if not screen["online"]:
            failures.append(f"{screen['name']} never came back online")
            continue
        wrong = [sku for sku, counts in truth.items() if screen["stock"].get(sku) != counts]
        if wrong:
            failures.append(f"{screen['name']} stale on {len(wrong)} products, e.g. {wrong[0]}: shows "
                            f"{screen['stock'].get(wrong[0])}, hub {truth[wrong[0]]}")
    return _verdict("no screen stale after its last sync", failures,
                    f"{len(history['screens'])} screens × {len(truth)} products compared")


def drained(history: dict) -> dict:
    failures = [f"{till}: {n} sales still in its outbox" for till, n in history["outboxes"].items() if n]
    if not history.get("drained"):
        failures.append("the screens did not drain within the time allowed")
    return _verdict("every outbox emptied", failures, "every till's and door's outbox sent and answered")


def audit(run: dict) -> list[dict]:
    history = run["history"]
    db = sqlite3.connect(f"file:{run['db_path']}?mode=ro", uri=True)
    try:
        return [sales_in_books_once(history, db), money_per_till(history, db), stock_replays(db),
                receipts_printed(db, run["printers"]), tickets_admitted_once(history, db),
                holds_closed(history, db), no_internal(history, run["hub_log"]), screens_fresh(history, db),
                drained(history)]
    finally:
        db.close()
