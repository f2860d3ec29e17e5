"""The door scanner when the hub can't be reached: it judges tickets by their signature, keeps its
admissions, sends them in order when the link returns, and shows a double admission found then."""
import signal
import uuid
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.pages import wait_until
from tests.conftest import SEOUL
from tests.test_scan_page_support import (BOOTH, RECONNECT_MS, STEP_MS, altered, book, close_answer,  # noqa: F401
                                          expect_answer, foreign_signed, go_offline, open_scanner, phone, scan,
                                          scan_hub, ticket_row)


def pending(page):
    return page.locator("#pending-count")


def test_offline_a_signed_ticket_is_admitted_and_reported_when_the_hub_returns(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    kiosk.close()
    page = open_scanner(phone, scan_hub)
    go_offline(page, scan_hub)
    expect(page.locator('#link-banner [lang="en"]')).to_have_text("Checking ticket signatures on this device")

    scan(page, ticket["qr"])
    answer = expect_answer(page, "admitted", offline=True)
    expect(answer).to_have_attribute("data-tone", "green")
    expect(page.locator('#answer-party [lang="en"]')).to_have_text("Party of 2")
    expect(page.locator('#answer-source [lang="en"]')).to_contain_text("Checked offline by signature")
    expect(pending(page)).to_have_text("1")
    close_answer(page)

    scan_hub.start()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=RECONNECT_MS)
    expect(pending(page)).to_have_text("0", timeout=STEP_MS)
    row = ticket_row(scan_hub, ticket["ticket_id"])
    assert row["status"] == "checked_in" and row["door"] == "door-1"
    staff = clients(scan_hub.client("staff", "staff-1"))
    slots = {s["slot_id"]: s for d in staff.call("demos")["demos"] for s in d["slots"]}
    assert slots[scan_hub.slots["now"]]["checked_in"] == 2
    assert staff.call("checkin_conflicts")["conflicts"] == []


def test_offline_the_door_refuses_what_it_can_tell_is_wrong(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    used = book(kiosk, scan_hub.slots["now"])
    early = book(kiosk, scan_hub.slots["later"])
    elsewhere = book(kiosk, scan_hub.slots["other_booth"])
    cancelled = book(kiosk, scan_hub.slots["now"])
    unseen = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    scan(page, used["qr"])
    expect_answer(page, "admitted", offline=False)
    close_answer(page)
    # Heard while online (checkin.recorded, ticket.cancelled): the door keeps them for when it is cut off.
    assert kiosk.call("ticket_cancel", {"ticket_id": cancelled["ticket_id"]})["ok"]
    wait_until(page, "ticket => JSON.parse(localStorage.getItem('scan.cancelled') || '{}')[ticket]",
                           arg=cancelled["ticket_id"], timeout=STEP_MS)
    go_offline(page, scan_hub)

    checks = [(used["qr"], "already_used"), (early["qr"], "too_early"), (elsewhere["qr"], "wrong_demo"),
              (cancelled["qr"], "cancelled"), (used["qr"][:-4], "invalid"), (altered(used["qr"]), "invalid"),
              (foreign_signed(used["qr"]), "invalid"), (unseen["short_code"], "short_offline"),
              (used["short_code"], "already_used")]
    for code, reason in checks:
        scan(page, code)
        expect_answer(page, reason, offline=True)
        close_answer(page)
    expect(pending(page)).to_have_text("0")
    scan(page, used["qr"])
    expect(page.locator('#answer-detail [lang="en"]')).to_contain_text("at door door-1")
    close_answer(page)
    scan(page, unseen["short_code"])
    expect(page.locator('#answer-title [lang="en"]')).to_have_text("Offline: ticket codes can't be checked")
    expect(page.locator("#answer")).to_have_attribute("data-tone", "amber")
    expect(page.locator("#answer-code b")).to_have_text(unseen["ticket_id"])


def admitted_offline(scan_hub, phone, clients):
    """A ticket for the session on now, admitted by this door while it is cut off from the hub: (page, ticket)."""
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    go_offline(page, scan_hub)
    scan(page, ticket["qr"])
    expect_answer(page, "admitted", offline=True)
    close_answer(page)
    return page, ticket


def test_a_ticket_admitted_offline_here_is_already_used_here_before_the_hub_hears_of_it(scan_hub, phone, clients):
    page, ticket = admitted_offline(scan_hub, phone, clients)
    scan(page, ticket["qr"])
    expect_answer(page, "already_used", offline=True)
    expect(pending(page)).to_have_text("1")
    expect(page.locator('#pending-help [lang="en"]')).to_have_text(
        "1 offline admission goes to the hub when the link returns")


def test_the_page_reloads_offline_and_keeps_its_waiting_admissions(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    first, second = book(kiosk, scan_hub.slots["now"]), book(kiosk, scan_hub.slots["now"], party=3)
    page = open_scanner(phone, scan_hub)
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=STEP_MS)
    go_offline(page, scan_hub)
    scan(page, first["qr"])
    expect_answer(page, "admitted", offline=True)
    page.reload()
    expect(page.locator("#scan-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)
    expect(pending(page)).to_have_text("1")
    scan(page, second["qr"])
    expect_answer(page, "admitted", offline=True)
    expect(pending(page)).to_have_text("2")

    scan_hub.start()
    expect(pending(page)).to_have_text("0", timeout=RECONNECT_MS)
    assert [ticket_row(scan_hub, t["ticket_id"])["status"] for t in (first, second)] == ["checked_in"] * 2


def test_two_doors_offline_admitting_one_ticket_sync_with_one_conflict(scan_hub, browser, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    kiosk.close()
    contexts = [browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR",
                                    timezone_id="Asia/Seoul") for _ in range(2)]
    try:
        pages = [open_scanner(context, scan_hub, name) for context, name in zip(contexts, ("door-1", "door-2"))]
        scan_hub.stop()
        for page in pages:
            expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)
            scan(page, ticket["qr"])
            expect_answer(page, "admitted", offline=True)
            expect(pending(page)).to_have_text("1")

        scan_hub.start()
        for page in pages:
            expect(pending(page)).to_have_text("0", timeout=RECONNECT_MS)
        staff = clients(scan_hub.client("staff", "staff-1"))
        heard = staff.call("sync", {"since": 0})
        conflicts = [e["data"] for e in heard["events"] if e["type"] == "checkin.conflict"]
        assert len(conflicts) == 1
        assert {conflicts[0]["first_door"], conflicts[0]["second_door"]} == {"door-1", "door-2"}
        assert len(staff.call("checkin_conflicts")["conflicts"]) == 1
        assert ticket_row(scan_hub, ticket["ticket_id"])["status"] == "checked_in"
        for page in pages:
            notice = page.locator('#notices .notice-card[data-kind="conflict"]')
            expect(notice).to_have_count(1, timeout=STEP_MS)
            expect(notice.locator('strong [lang="en"]')).to_have_text("Admitted twice — staff informed")
            expect(notice).to_contain_text(ticket["ticket_id"])
    finally:
        for context in contexts:
            context.close()


def test_staff_hear_the_conflict_live_when_a_door_comes_back(scan_hub, phone, clients):
    page, ticket = admitted_offline(scan_hub, phone, clients)
    # Meanwhile another door, also cut off, let the same visitor in first and has reported it.
    page.context.set_offline(True)
    scan_hub.start()
    staff = clients(scan_hub.client("staff", "staff-1"))
    other = clients(scan_hub.client("scanner", "door-2"))
    first = other.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": BOOTH,
                                    "offline_at": (datetime.now(SEOUL) - timedelta(minutes=1)).isoformat()})
    assert first["ok"], first
    page.context.set_offline(False)
    conflict = staff.wait_for(lambda e: e["type"] == "checkin.conflict", timeout=RECONNECT_MS / 1000)
    assert conflict["data"]["second_door"] == "door-1"
    expect(pending(page)).to_have_text("0", timeout=STEP_MS)
    expect(page.locator('#notices .notice-card[data-kind="conflict"]')).to_have_count(1, timeout=STEP_MS)


def test_the_offline_judge_keeps_to_the_tickets_validity_window(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    reasons = page.evaluate("""async (qr) => {
        const { judgeOffline, verifyTicket } = await import('/scan/js/ticket.js');
        const { store } = window.doorScanner;
        const known = {publicKey: store.publicKey, slots: store.slots, booth: 'A-103', admitted: {}, cancelled: {}};
        const claim = verifyTicket(qr, store.publicKey);
        return [claim.valid_from - 1, claim.valid_from, claim.valid_until, claim.valid_until + 1]
            .map((s) => judgeOffline(qr, known, s * 1000).reason);
    }""", ticket["qr"])
    assert reasons == ["too_early", "admitted", "admitted", "too_late"]


def test_a_hub_that_stops_answering_is_passed_over_and_its_late_answer_is_kept(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    kiosk.close()
    page = open_scanner(phone, scan_hub)
    # Frozen, not gone: the socket stays up, the check-in is sent and no answer comes.
    scan_hub.process.send_signal(signal.SIGSTOP)
    try:
        scan(page, ticket["qr"])
        expect_answer(page, "admitted", offline=True)
        expect(page.locator("#link-status")).to_have_attribute("data-state", "slow")
        expect(pending(page)).to_have_text("1")
    finally:
        scan_hub.process.send_signal(signal.SIGCONT)
    # The hub then handles the online request it was sent; the offline report of the same scan must
    # agree with it instead of counting a second admission.
    expect(pending(page)).to_have_text("0", timeout=RECONNECT_MS)
    row = ticket_row(scan_hub, ticket["ticket_id"])
    assert row["status"] == "checked_in" and row["door"] == "door-1"
    staff = clients(scan_hub.client("staff", "staff-1"))
    assert staff.call("checkin_conflicts")["conflicts"] == []
    expect(page.locator("#notices .notice-card")).to_have_count(0)
