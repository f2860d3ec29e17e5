"""A phone listens only to what it shows: its `watch` is the products and sessions on its screen, sent again
as the view changes and after a reconnect; a refused session is replaced and said; feedback is one tap."""
import json
import re
import time

from playwright.sync_api import expect

from tests.test_visit_support import (STEP_MS, Phone, made_by, open_phone, phone_context, sale,  # noqa: F401
                                      visit_hall_process, visit_hub, visitor_of)
from tests.test_visitors_sessions import token_until


def record_watches(page) -> list[dict]:
    """Every `watch` the page sends, as sent (Socket.IO frames seen on their way to the hub)."""
    sent = []

    def route(ws):
        server = ws.connect_to_server()

        def from_page(message):
            if isinstance(message, str) and message.startswith("42") and '"watch"' in message:
                frame = json.loads(message[message.index("["):])
                if frame[0] == "watch":
                    sent.append(frame[1])
            server.send(message)
        ws.on_message(from_page)
    page.route_web_socket("**/socket.io/**", route)
    return sent


def last_watch(page, sent: list[dict], expected) -> dict:
    """The last watch sent once it is `expected` (a dict, or a predicate), after at most STEP_MS."""
    check = expected if callable(expected) else (lambda watch: watch == expected)
    for _ in range(STEP_MS // 100):
        if sent and check(sent[-1]):
            return sent[-1]
        page.wait_for_timeout(100)
    raise AssertionError(f"last watch {sent[-1] if sent else None}, expected {expected}")


def cards_on_screen(page) -> set[str]:
    return set(page.evaluate("""() => [...document.querySelectorAll('#products .card')]
        .filter((card) => { const box = card.getBoundingClientRect(); return box.bottom > 0 && box.top < innerHeight; })
        .map((card) => card.dataset.sku)"""))


def test_the_phone_watches_exactly_the_products_on_its_screen(visit_hub, phone_context):
    page = phone_context.new_page()
    sent = record_watches(page)
    phone = Phone(page, visit_hub).open().wait_live()
    expect(phone.card("RICE").locator(".card-stock")).not_to_have_text("재고 확인 중…", timeout=STEP_MS)
    shown = cards_on_screen(page)
    assert 0 < len(shown) < 5  # the phone shows a few of the five products; the rest are below
    last_watch(page, sent, lambda watch: set(watch["skus"]) == shown and watch["slots"] == [])
    phone.search("볼펜")
    expect(phone.card("PEN").locator(".card-stock")).to_have_text("재고 500개", timeout=STEP_MS)
    last_watch(page, sent, {"skus": ["PEN"], "slots": []})
    phone.go("/demos")
    expect(page.locator("#demo-list .slot-left").first).to_have_text("6자리 남음", timeout=STEP_MS)
    last_watch(page, sent, {"skus": [], "slots": [visit_hub.slot_id]})


def test_after_a_reconnect_the_phone_watches_again_and_catches_up(visit_hub, phone_context, clients):
    page = phone_context.new_page()
    sent = record_watches(page)
    phone = Phone(page, visit_hub).open().wait_live().search("로봇 키트")
    stock = phone.card("ROBOT").locator(".card-stock")
    expect(stock).to_have_text("재고 10개", timeout=STEP_MS)
    before = len(sent)
    visit_hub.stop()
    expect(page.locator("#link-status")).to_have_attribute("data-state", "offline", timeout=STEP_MS)
    visit_hub.start()
    # Sold while the phone was away: the watch sent on reconnect answers with the stock as it is now.
    till = clients(visit_hub.client("pos", "pos-1"))
    assert till.call("checkout", sale("ROBOT", 1, 55000))["ok"] is True
    phone.wait_live()
    expect(stock).to_have_text("재고 9개", timeout=20_000)
    assert len(sent) > before
    last_watch(page, sent, {"skus": ["ROBOT"], "slots": []})


def test_a_revoked_session_is_replaced_and_the_phone_says_so(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context)
    page = phone.page
    first = visitor_of(page)
    staff = clients(visit_hub.client("staff", "staff-1"))
    assert staff.call("visitor_revoke", {"visitor": first})["ok"] is True
    expect(page.locator("#notice")).to_have_text(
        "이용 시간이 끝나 새로 입장했습니다. 저장된 티켓은 그대로 있습니다.", timeout=STEP_MS)
    phone.wait_live()
    second = visitor_of(page)
    assert second != first and second.startswith("v-")


def test_one_tap_rates_the_hall_and_the_hub_has_it(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context).go("/mine")
    page = phone.page
    page.locator('#mine-feedback .fb-rating[data-rating="4"]').click()
    expect(page.locator("#mine-feedback .fb-status")).to_have_text("평가해 주셔서 감사합니다!", timeout=STEP_MS)
    staff = clients(visit_hub.client("staff", "staff-1"))
    listed = staff.call("feedback_list", {})
    visitor = visitor_of(page)
    assert [(f["rating"], f["device"]) for f in listed["feedback"]] == [(4, visitor)], listed


def test_a_program_that_comes_after_the_link_is_watched_when_it_comes(visit_hub, browser):
    # The service worker would answer the program itself; blocked, the test holds the program back.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR",
                                  timezone_id="Asia/Seoul", service_workers="block")
    try:
        page = context.new_page()
        held = []
        page.route("**/api/visit/program", lambda route: held.append(route))
        Phone(page, visit_hub).open("#/demos").wait_live()
        page.wait_for_timeout(500)  # the link is up and has sent its watch, before the program is here
        assert held and page.locator("#demo-list .slot").count() == 0
        held[0].continue_()
        left = page.locator(f'#demo-list .slot[data-slot-id="{visit_hub.slot_id}"] .slot-left')
        expect(left).to_have_text("6자리 남음", timeout=STEP_MS)
    finally:
        context.close()


def test_an_order_answered_unauthorized_at_a_sessions_end_goes_with_the_new_session(visit_hub, phone_context):
    phone = open_phone(visit_hub, phone_context)
    page = phone.page
    first = visitor_of(page)
    # The same visitor with a token (the hub's own key) that ends in a few seconds, while the phone is connected.
    ends = int(time.time()) + 4
    page.evaluate("(token) => localStorage.setItem('hall.token.visitor', token)", token_until(visit_hub, first, ends))
    page.reload()
    phone.wait_live().search("볼펜").add("PEN")
    phone.go("/cart")
    page.wait_for_timeout(max(0, ends + 1 - time.time()) * 1000)
    page.locator("#order-btn").click()
    expect(page.locator("#order-view")).to_have_attribute("data-status", "waiting", timeout=20_000)
    expect(page.locator("#notice")).to_contain_text("새로 입장했습니다")
    second = visitor_of(page)
    assert second != first
    assert (made_by(visit_hub, "holds", first), made_by(visit_hub, "holds", second)) == (0, 1)


def test_a_first_visit_reads_the_catalog_once(visit_hub, phone_context):
    # 2,200 products are some hundreds of kilobytes to parse and index on a phone: once per visit, and again
    # only after the link has dropped and come back.
    page = phone_context.new_page()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/api/visit/catalog" in request.url else None)
    Phone(page, visit_hub).open().wait_live()
    page.wait_for_timeout(1000)
    assert len(asked) == 1, asked


def test_a_phone_past_its_pace_watches_again_when_it_may_and_is_told_how_long_to_wait(tmp_path, catalog_csv,
                                                                                     phone_context):
    # Six commands a minute, kept across reconnects: the hub gives one back every ten seconds.
    hub = visit_hall_process(tmp_path, catalog_csv, extra="[visitor]\ncommands_per_minute = 6\n").start()
    try:
        phone = open_phone(hub, phone_context).go("/demos")
        page = phone.page
        places = page.locator(f'#demo-list .slot[data-slot-id="{hub.slot_id}"] .slot-left')
        expect(places).to_have_text("6자리 남음", timeout=STEP_MS)
        for _ in range(3):  # each visit is a watch and a `mine`: the phone's minute is used up
            page.reload()
            phone.wait_live()
            page.wait_for_timeout(300)
        # This visit's watch is refused (slow_down): the program says "checking" until it is asked again.
        expect(places).to_have_text("6자리 남음", timeout=15_000)
        phone.search("볼펜").add("PEN")
        phone.go("/cart")
        page.locator("#order-btn").click()
        expect(page.locator("#cart-error")).to_have_text(re.compile(r"요청이 너무 많습니다\. \d+초 뒤에 다시 해 주세요\."),
                                                         timeout=STEP_MS)
    finally:
        hub.stop()
