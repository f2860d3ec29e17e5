"""Fixtures and helpers for the door scanner's browser tests (no tests here).

A hub with a demo program: the COBOT demo at booth A-103 starting in ten minutes (its tickets are valid now)
and again in three hours (too early), and a DRONE demo at booth C-301 (the wrong booth for an A-103 door).
"""
import base64
import uuid
from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import Page, expect

from hub.rules import devices, tickets
from tests.conftest import PROGRAM_HEADER, SEOUL, hall_config, program_row, show_toml
from tests.hubproc import Client, HubProcess
from tests.pages import wait_until

# Every wait is bounded; a slow machine gets this long per step.
STEP_MS = 10_000
# A restarted hub, and the page's socket finding it again (reconnection backs off to 3 s).
RECONNECT_MS = 25_000
BOOTH = "A-103"


def demo_program(soon: datetime, first_day) -> str:
    later = soon + timedelta(hours=3)
    rows = [("COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,,", soon, 30, 20),
            ("COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,,", later, 30, 20),
            ("DRONE,드론 비행 시연,Drone Flight Show,(주)하늘드론,C-301,,", soon, 45, 10)]
    return "\n".join([PROGRAM_HEADER] + [program_row(*row, first_day) for row in rows]) + "\n"


@pytest.fixture
def scan_hub(tmp_path, catalog_csv):
    """A running hub with the demo program; `slots` names the three sessions."""
    now = datetime.now(SEOUL)
    soon = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
    (tmp_path / "demos.csv").write_text(demo_program(soon, now.date()), encoding="utf-8")
    config = hall_config(tmp_path, catalog_csv, extra=show_toml(now.date()) + '[demos]\nfile = "demos.csv"\n')
    process = HubProcess(tmp_path / "data", config).start()
    later = soon + timedelta(hours=3)
    process.slots = {"now": f"COBOT-{soon:%m%d%H%M}", "later": f"COBOT-{later:%m%d%H%M}",
                     "other_booth": f"DRONE-{soon:%m%d%H%M}"}
    yield process
    process.stop()


@pytest.fixture
def phone(browser):
    """A phone-sized browser context (390x844), the door scanner's usual size."""
    opened = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR", timezone_id="Asia/Seoul",
                                 has_touch=True)
    yield opened
    opened.close()


def book(kiosk: Client, slot_id: str, party: int = 1) -> dict:
    answer = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": slot_id, "party": party})
    assert answer["ok"], answer
    return answer["ticket"]


def open_scanner(context, hub: HubProcess, name: str = "door-1", booth: str = BOOTH) -> Page:
    """A scanner page paired as `name`, serving `booth`, online and holding the ticket key."""
    page = context.new_page()
    page.goto(hub.url + "/scan/")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    page.locator("#pair-code").fill(hub.pairing_code("scanner", name))
    page.locator("#pair-submit").click()
    page.locator(f'.booth-choice[data-booth="{booth}"]').click(timeout=STEP_MS)
    expect(page.locator("#scan-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    wait_until(page, "localStorage.getItem('scan.key') !== null && localStorage.getItem('scan.program') !== null",
                           timeout=STEP_MS)
    return page


def scan(page: Page, text: str) -> None:
    """What a handheld scanner does: type the code and press Enter, with no box focused."""
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def expect_answer(page: Page, reason: str, *, offline: bool | None = None):
    answer = page.locator("#answer")
    expect(answer).to_be_visible(timeout=STEP_MS)
    expect(answer).to_have_attribute("data-reason", reason, timeout=STEP_MS)
    if offline is not None:
        expect(answer).to_have_attribute("data-offline", "true" if offline else "false")
    return answer


def close_answer(page: Page) -> None:
    page.locator("#answer").click()
    expect(page.locator("#answer")).to_be_hidden(timeout=STEP_MS)


def go_offline(page: Page, hub: HubProcess) -> None:
    hub.stop()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)


def revoke(hub: HubProcess, name: str) -> None:
    store = hub.read_store()
    try:
        store.run(devices.revoke, name, now=datetime.now(SEOUL))
    finally:
        store.close()


def ticket_row(hub: HubProcess, ticket_id: str) -> dict:
    store = hub.read_store()
    try:
        row = store.read_db.execute("SELECT status, door, checked_in_at FROM demo_tickets WHERE ticket_id = ?",
                                    [ticket_id]).fetchone()
    finally:
        store.close()
    return dict(zip(("status", "door", "checked_in_at"), row))


def foreign_signed(qr: str) -> str:
    """The same claim signed with a key that is not the hall's."""
    body = qr.split(".")[1]
    ticket_id, slot_id, party, start, end = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().split("|")
    claim = tickets.TicketClaim(ticket_id, slot_id, int(party), int(start), int(end))
    return tickets.sign(Ed25519PrivateKey.generate(), claim)


def altered(qr: str) -> str:
    """One character of the payload changed."""
    body = qr.split(".")[1]
    return qr.replace(body, body[:4] + ("B" if body[4] != "B" else "C") + body[5:])
