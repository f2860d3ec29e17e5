"""Demo booking at the kiosk page, through a real hub: the ticket on screen, admitted once at the door,
and slots filled elsewhere shown full without a reload."""
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import cobot_demo_hub
from tests.test_kiosk_support import STATIONS, STEP_MS, paired_kiosk
from tests.test_scan_page_support import expect_answer, open_scanner, phone, scan  # noqa: F401 (phone: fixture)
from tests.pages import wait_until

CAPACITY = 6


@pytest.fixture
def demo_kiosk_hub(tmp_path, catalog_csv):
    """A hub whose kiosk-1 prints on a virtual printer, with one COBOT session at A-103 in ten minutes."""
    process = cobot_demo_hub(tmp_path, catalog_csv, capacity=CAPACITY, extra=STATIONS,
                             description=("로봇 팔과 함께 일하기", "Working beside a robot arm"))
    yield process
    process.stop()


@pytest.fixture
def demo_kiosk(demo_kiosk_hub, context):
    return paired_kiosk(demo_kiosk_hub, context)


def slot_button(page, slot_id):
    return page.locator(f'#demo-list .slot[data-slot-id="{slot_id}"]')


def small_targets(page):
    """Visible buttons on the demo screen smaller than 48 px either way."""
    return page.eval_on_selector_all(
        "#demos-screen button", "bs => bs.filter(b => b.offsetParent !== null)"
        ".map(b => [b.id || b.textContent, b.getBoundingClientRect()])"
        ".filter(([, r]) => r.width < 48 || r.height < 48).map(([name]) => name)")


def open_demos(kiosk):
    kiosk.open().wait_live()
    kiosk.page.locator("#attract-demos").click()
    expect(kiosk.page.locator("#demos-screen")).to_be_visible(timeout=STEP_MS)


def book_at_kiosk(kiosk, slot_id, party):
    page = kiosk.page
    open_demos(kiosk)
    slot_button(page, slot_id).click()
    for _ in range(party - 1):
        page.locator("#demo-plus").click()
    expect(page.locator("#demo-party")).to_have_text(str(party))
    assert small_targets(page) == []
    page.locator("#demo-book").click()
    ticket = page.locator("#demo-ticket")
    expect(ticket).to_be_visible(timeout=STEP_MS)
    return ticket


def test_booking_at_the_kiosk_shows_the_ticket_and_the_hub_has_it(demo_kiosk, demo_kiosk_hub, clients):
    page = demo_kiosk.page
    ticket = book_at_kiosk(demo_kiosk, demo_kiosk_hub.slot_id, party=2)
    code = page.locator("#demo-code").text_content()
    assert len(code) == 8, code
    qr_text = ticket.get_attribute("data-qr")
    assert qr_text.startswith("T1.")
    qr = page.locator("#demo-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src") == "/api/qr.svg?data=" + qr_text  # base64url and dots need no escaping
    wait_until(page, "document.getElementById('demo-qr').naturalWidth > 0", timeout=STEP_MS)
    expect(page.locator("#demo-ticket-facts")).to_contain_text("A-103")
    expect(page.locator("#demo-print")).to_have_attribute("data-state", "printed", timeout=STEP_MS)
    assert small_targets(page) == []

    staff = clients(demo_kiosk_hub.client("kiosk", "kiosk-2"))
    slot = staff.call("demos")["demos"][0]["slots"][0]
    assert (slot["booked"], slot["available"]) == (2, CAPACITY - 2)
    store = demo_kiosk_hub.read_store()
    try:
        row = store.read_db.execute("SELECT short_code, party, status FROM demo_tickets WHERE ticket_id = ?",
                                    [ticket.get_attribute("data-ticket-id")]).fetchone()
    finally:
        store.close()
    assert tuple(row) == (code, 2, "booked")

    # The next visitor sees nothing of this one's ticket.
    page.locator("#demo-done").click()
    expect(page.locator("#attract-screen")).to_be_visible()
    assert page.locator("#demo-code").text_content() == ""
    assert page.locator("#demo-ticket").get_attribute("data-qr") is None


def test_the_kiosk_ticket_is_admitted_once_at_the_door(demo_kiosk, demo_kiosk_hub, phone):  # noqa: F811
    ticket = book_at_kiosk(demo_kiosk, demo_kiosk_hub.slot_id, party=3)
    qr_text = ticket.get_attribute("data-qr")
    door = open_scanner(phone, demo_kiosk_hub)
    scan(door, qr_text)
    expect(expect_answer(door, "admitted")).to_contain_text("3")
    door.locator("#answer").click()
    expect(door.locator("#answer")).to_be_hidden(timeout=STEP_MS)
    scan(door, qr_text)
    expect_answer(door, "already_used")


def test_a_slot_filled_elsewhere_shows_full_without_a_reload(demo_kiosk, demo_kiosk_hub, clients):
    page = demo_kiosk.page
    open_demos(demo_kiosk)
    button = slot_button(page, demo_kiosk_hub.slot_id)
    expect(button).to_have_attribute("data-state", "open")
    expect(button).to_be_enabled()
    assert small_targets(page) == []
    page.evaluate("document.getElementById('demo-list').dataset.marker = 'same-page'")

    other = clients(demo_kiosk_hub.client("kiosk", "kiosk-2"))
    for party in (4, CAPACITY - 4):
        answer = other.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": demo_kiosk_hub.slot_id,
                                     "party": party})
        assert answer["ok"], answer
        if party == 4:
            expect(button).to_have_attribute("data-available", str(CAPACITY - 4), timeout=STEP_MS)

    expect(button).to_have_attribute("data-state", "full", timeout=STEP_MS)
    expect(button).to_be_disabled()
    expect(button).to_contain_text("마감")
    assert page.evaluate("document.getElementById('demo-list').dataset.marker") == "same-page"
