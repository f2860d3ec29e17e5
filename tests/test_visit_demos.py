"""Demos on a visitor's phone: the program with live places, booking, and the ticket kept on the phone so it
shows again with no connection."""
import uuid

from playwright.sync_api import expect

from tests.pages import lose_first_ack, wait_until
from tests.test_visit_support import (CAPACITY, STEP_MS, Phone, made_by, open_phone, phone_context,  # noqa: F401
                                      visit_hub, visitor_of)


def slot(page, slot_id):
    return page.locator(f'#demo-list .slot[data-slot-id="{slot_id}"]')


def test_the_program_shows_live_places_as_others_book(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context).go("/demos")
    left = slot(phone.page, visit_hub.slot_id).locator(".slot-left")
    expect(left).to_have_text(f"{CAPACITY}자리 남음", timeout=STEP_MS)
    kiosk = clients(visit_hub.client("kiosk", "kiosk-1"))
    answer = kiosk.call("book", {"booking_id": str(uuid.uuid4()), "slot_id": visit_hub.slot_id, "party": 2})
    assert answer["ok"] is True, answer
    expect(left).to_have_text(f"{CAPACITY - 2}자리 남음", timeout=STEP_MS)


def test_a_booked_ticket_shows_again_with_no_connection(visit_hub, phone_context):
    phone = open_phone(visit_hub, phone_context).go("/demos")
    page = phone.page
    slot(page, visit_hub.slot_id).locator(".slot-open").click()
    expect(page.locator("#book-left")).to_have_text(f"{CAPACITY}자리 남음", timeout=STEP_MS)
    page.locator("#party-plus").click()
    expect(page.locator("#book-btn")).to_have_text("2명 예약하기")
    page.locator("#book-btn").click()
    view = page.locator("#ticket-view")
    expect(view).to_be_visible(timeout=STEP_MS)
    expect(view).to_have_attribute("data-status", "booked")
    ticket_id = view.get_attribute("data-ticket")
    expect(page.locator("#ticket-code")).to_have_text(ticket_id)
    expect(page.locator("#ticket-facts")).to_contain_text("2명")
    wait_until(page, "document.getElementById('ticket-qr').naturalWidth > 0", timeout=STEP_MS)
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=STEP_MS)
    # No link at all: the phone is offline and the hall's hub is gone too.
    phone_context.set_offline(True)
    visit_hub.stop()
    page.reload()
    try:
        expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=STEP_MS)
        expect(page.locator("#link-status")).not_to_have_attribute("data-state", "online", timeout=STEP_MS)
        phone.go("/mine")
        mine = page.locator(f'#mine-tickets .mine-item[data-ticket="{ticket_id}"]')
        expect(mine).to_contain_text("협동로봇 시연", timeout=STEP_MS)
        mine.locator("a").click()
        expect(page.locator("#ticket-view")).to_be_visible()
        expect(page.locator("#ticket-code")).to_have_text(ticket_id)
        wait_until(page, "document.getElementById('ticket-qr').naturalWidth > 0", timeout=STEP_MS)
        # The catalog and the program are kept by the service worker too.
        phone.go("/find")
        expect(page.locator("#result-count")).to_have_text("상품 5개", timeout=STEP_MS)
        expect(page.locator('#products .card[data-sku="ROBOT"]')).to_contain_text("교육용 로봇 키트")
        phone.go("/demos")
        expect(page.locator(f'#demo-list .slot[data-slot-id="{visit_hub.slot_id}"]')).to_contain_text("협동로봇 시연")
    finally:
        phone_context.set_offline(False)


def test_a_booking_whose_answer_was_lost_is_sent_again_on_reconnect_with_the_same_id(visit_hub, phone_context):
    page = phone_context.new_page()
    lost = lose_first_ack(page, '"ticket_id"')
    phone = Phone(page, visit_hub).open().wait_live().go("/demos")
    slot(page, visit_hub.slot_id).locator(".slot-open").click()
    expect(page.locator("#book-left")).to_have_text(f"{CAPACITY}자리 남음", timeout=STEP_MS)
    page.locator("#book-btn").click()
    expect(page.locator("#book-error")).to_contain_text("보내지 못했습니다", timeout=15_000)
    assert lost
    expect(page.locator("#book-btn")).to_have_text("지금 다시 보내기")
    # Nobody taps: the link drops and comes back, and the phone sends the booking again on its own.
    visit_hub.stop()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)
    visit_hub.start()
    expect(page.locator("#ticket-view")).to_have_attribute("data-status", "booked", timeout=20_000)
    assert made_by(visit_hub, "demo_tickets", visitor_of(page)) == 1
