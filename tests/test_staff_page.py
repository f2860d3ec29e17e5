"""The staff screen in a real browser against a real hub: pairing, sign-in, the live stock table.

Helpers here (open_staff, sell, ...) are shared by the other tests/test_staff_page_*.py files.
"""
import re
import uuid

import pytest
import requests as http
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import hall_config
from tests.hubproc import HubProcess
from tests.pages import axe_violations
from tests.pages import wait_until

STAFF = ("mina", "open sesame 1")
WAIT_MS = 8000


def sell(pos, sku, qty, amount, **extra):
    answer = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                                   "payments": [{"method": "cash", "amount": amount}], **extra})
    assert answer["ok"], answer
    return answer["sale"]


def watch_errors(page) -> list[str]:
    """Collects uncaught page errors and console errors, for the tests to assert there were none."""
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(f"pageerror: {err}"))
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    return errors


def pair_and_sign_in(page, hub, device="staff-1", person=STAFF):
    page.fill("#pair-code", hub.pairing_code("staff", device))
    page.click("#pair-submit")
    page.wait_for_selector("#signin-screen:not([hidden])", timeout=WAIT_MS)
    page.fill("#signin-name", person[0])
    page.fill("#signin-password", person[1])
    page.click("#signin-submit")
    try:
        page.wait_for_selector("#app:not([hidden])", timeout=WAIT_MS)
    except PlaywrightTimeout:
        raise AssertionError(f"not signed in; the screen says {page.text_content('#signin-error')!r}") from None


def open_staff(hub, context, device="staff-1", panel="stock", lang="ko"):
    """A staff screen paired as `device` with STAFF signed in, showing `panel`, the stock table loaded."""
    hub.add_staff(*STAFF)
    page = context.new_page()
    page.errors = watch_errors(page)
    page.add_init_script(f"localStorage.setItem('staff.lang', '{lang}')")
    page.goto(f"{hub.url}/staff/#{panel}")
    pair_and_sign_in(page, hub, device)
    wait_until(page, "window.staffApp && window.staffApp.stock.loaded", timeout=WAIT_MS)
    page.wait_for_selector(f"#panel-{panel}:not([hidden])", timeout=WAIT_MS)
    return page


def row(page, sku):
    return page.locator(f'.srow[data-sku="{sku}"]')


def no_errors(page):
    assert page.errors == [], page.errors


def test_pairing_and_sign_in_say_what_went_wrong(hub, context):
    hub.add_staff(*STAFF)
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(hub.url + "/staff/")
    page.wait_for_selector("#pair-screen:not([hidden])")
    page.fill("#pair-code", "AAAA-AAAA")
    page.click("#pair-submit")
    wait_until(page, "document.querySelector('#pair-status').textContent.includes('없는 연결 코드')")
    kiosk_code = hub.pairing_code("kiosk", "kiosk-1")
    page.fill("#pair-code", kiosk_code)
    page.click("#pair-submit")
    wait_until(page, "document.querySelector('#pair-status').textContent.includes('운영 화면용 코드가 아닙니다')")

    page.fill("#pair-code", hub.pairing_code("staff", "staff-1"))
    page.click("#pair-submit")
    page.wait_for_selector("#signin-screen:not([hidden])")
    assert "staff-1" in page.text_content("#signin-device")
    assert len(page.evaluate("localStorage.getItem('hall.token.staff')")) > 20

    page.fill("#signin-name", STAFF[0])
    page.fill("#signin-password", "not the password")
    page.click("#signin-submit")
    wait_until(page, "document.querySelector('#signin-error').textContent.includes('틀렸습니다')")
    for _ in range(4):
        page.click("#signin-submit")
        page.wait_for_timeout(150)
    wait_until(page, "document.querySelector('#signin-error').textContent.includes('잠겼습니다')")
    assert re.search(r"\d\d:\d\d까지", page.text_content("#signin-error"))

    hub.add_staff("joon", "another password")
    page.fill("#signin-name", "joon")
    page.fill("#signin-password", "another password")
    page.click("#signin-submit")
    page.wait_for_selector("#app:not([hidden])")
    assert page.text_content("#who") == "joon @ staff-1"
    page.click("#signout-btn")
    page.wait_for_selector("#signin-screen:not([hidden])")
    # The unknown code's 404 from /api/pair is the browser noting the refusal; nothing else may fail.
    assert [e for e in errors if "status of 404" not in e] == [], errors


def test_signing_in_while_the_link_is_still_coming_up_waits_for_it(hub, context):
    hub.add_staff(*STAFF)
    page = context.new_page()
    page.errors = watch_errors(page)
    page.goto(hub.url + "/staff/")
    page.fill("#pair-code", hub.pairing_code("staff", "staff-1"))
    page.click("#pair-submit")
    wait_until(page, "window.staffApp.link.state === 'online'", timeout=WAIT_MS)
    page.evaluate("window.staffApp.link.socket.disconnect()")
    page.fill("#signin-name", STAFF[0])
    page.fill("#signin-password", STAFF[1])
    page.click("#signin-submit")
    wait_until(page, "document.querySelector('#signin-error').textContent === '허브에 연결하는 중…'",
                           timeout=WAIT_MS)
    assert page.is_hidden("#app")
    page.evaluate("window.staffApp.link.socket.connect()")
    page.wait_for_selector("#app:not([hidden])", timeout=WAIT_MS)
    assert page.text_content("#who") == f"{STAFF[0]} @ staff-1"
    no_errors(page)


def test_restock_on_the_staff_screen_reaches_a_kiosk_and_the_row(hub, context, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    staff = clients(hub.client("staff", "staff-9"))
    page = open_staff(hub, context)
    assert row(page, "PEN").locator(".c-on_hand").text_content() == "500"

    row(page, "PEN").locator("button[data-act=restock]").click()
    page.fill("#stock-qty", "7")
    page.fill("#stock-reason", "추가 납품")
    page.click("#stock-submit")

    heard = kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "PEN")
    assert heard["data"] == {"sku": "PEN", "on_hand": 507, "available": 507}
    restocked = staff.wait_for(lambda e: e["type"] == "stock.restocked")
    assert restocked["data"] == {"sku": "PEN", "qty": 7, "reason": "추가 납품", "by": "mina@staff-1"}
    wait_until(page, "document.querySelector('.srow[data-sku=\"PEN\"] .c-on_hand').textContent === '507'",
                           timeout=WAIT_MS)
    assert page.is_hidden("#stock-dialog")

    # The history is one click away and names the person.
    row(page, "PEN").locator("button[data-act=history]").click()
    page.wait_for_selector('#history-list li[data-type="stock.restocked"]', timeout=WAIT_MS)
    assert "mina@staff-1" in page.text_content('#history-list li[data-type="stock.restocked"]')
    no_errors(page)


def test_stock_events_patch_rows_in_place_without_redrawing(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    page = open_staff(hub, context)
    page.evaluate("""() => {
        window.before = [...document.querySelectorAll('.srow:not([hidden])')];
        window.before.forEach((el) => { el.marked = el.dataset.sku; });
    }""")
    sell(pos, "ROBOT", 2, 110000)
    wait_until(page, "document.querySelector('.srow[data-sku=\"ROBOT\"] .c-available .v').textContent === '8'",
                           timeout=WAIT_MS)
    same = page.evaluate("""() => {
        const now = [...document.querySelectorAll('.srow:not([hidden])')];
        return now.length === window.before.length && now.every((el) => el.marked === el.dataset.sku)
            && window.staffApp.stock.rows.get('ROBOT') === window.before.find((el) => el.marked === 'ROBOT');
    }""")
    assert same, "the table was redrawn instead of patched"
    assert page.evaluate("window.staffPerf.stock.length") >= 1
    no_errors(page)


def test_filters_search_and_low_stock_thresholds(hub, context, clients):
    staff = clients(hub.client("staff", "staff-9"))
    # A product's own threshold set before the page opens comes from the event log.
    assert staff.call("set_low_stock", {"sku": "PEN", "threshold": 600})["ok"]
    page = open_staff(hub, context)
    wait_until(page, "window.staffApp.stock.thresholdsKnown", timeout=WAIT_MS)
    assert row(page, "PEN").get_attribute("data-status") == "low"
    assert "own" in row(page, "PEN").locator(".thr").get_attribute("class")
    assert row(page, "GONE").get_attribute("data-status") == "out"
    assert row(page, "LAST").get_attribute("data-status") == "low"  # 3 left, the hall's threshold is 5

    page.click('#panel-stock [data-status="out"]')
    assert page.eval_on_selector_all(".srow:not([hidden])", "els => els.map(e => e.dataset.sku)") == ["GONE"]
    page.click('#panel-stock [data-status="all"]')
    page.fill("#stock-search", "robot kit")
    wait_until(page, "document.querySelectorAll('.srow:not([hidden])').length === 1")
    assert row(page, "ROBOT").is_visible()
    page.fill("#stock-search", "8801111111119")
    wait_until(page, "[...document.querySelectorAll('.srow:not([hidden])')].map(e => e.dataset.sku).join() === 'LAST'")
    page.fill("#stock-search", "")
    page.select_option("#stock-firm", "(주)한빛로보틱스")
    wait_until(page, "[...document.querySelectorAll('.srow:not([hidden])')].map(e => e.dataset.sku).sort().join() === 'GONE,ROBOT'")
    page.select_option("#stock-firm", "")

    # Set a threshold from the side panel: the row turns low at once.
    row(page, "ROBOT").locator(".thr").click()
    page.fill("#threshold-input", "20")
    page.click("#threshold-form button[type=submit]")
    wait_until(page, "document.querySelector('.srow[data-sku=\"ROBOT\"]').dataset.status === 'low'",
                           timeout=WAIT_MS)
    changed = staff.wait_for(lambda e: e["type"] == "product.threshold" and e["data"]["sku"] == "ROBOT")
    assert changed["data"]["low_stock"] == 20 and changed["data"]["by"] == "mina@staff-1"
    no_errors(page)


def test_adjust_needs_a_reason_and_cannot_go_below_held(hub, context, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    assert kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 2}]})["ok"]
    page = open_staff(hub, context)
    wait_until(page, "document.querySelector('.srow[data-sku=\"LAST\"] .c-held').textContent === '2'",
                           timeout=WAIT_MS)
    row(page, "LAST").locator("button[data-act=adjust]").click()
    page.check("#adjust-kinds input[value=write_off]")
    page.fill("#stock-qty", "2")
    page.click("#stock-submit")
    assert "사유" in page.text_content("#stock-error")
    page.fill("#stock-reason", "파손")
    page.click("#stock-submit")
    wait_until(page, "document.querySelector('#stock-error').textContent.includes('보류된 2개')",
                           timeout=WAIT_MS)
    page.fill("#stock-qty", "1")
    page.click("#stock-submit")
    wait_until(page, "document.querySelector('.srow[data-sku=\"LAST\"] .c-on_hand').textContent === '2'",
                           timeout=WAIT_MS)
    assert row(page, "LAST").get_attribute("data-status") == "out"  # 2 on hand, both held
    no_errors(page)


def test_catalog_text_is_shown_as_text_never_run(tmp_path, context):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(
        "sku,barcode,name,name_en,firm,firm_en,booth,category,price,stock,tax_free,tags\n"
        'EVIL,8801234567893,"<img src=x onerror=""window.pwned=1"">",<b>bold</b>,<script>window.pwned=2</script>,'
        "Evil Co,A-101,robot,1000,5,0,\n", encoding="utf-8")
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog)).start()
    try:
        page = open_staff(process, context)
        assert row(page, "EVIL").locator(".c-name .l1").text_content() == '<img src=x onerror="window.pwned=1">'
        assert row(page, "EVIL").locator(".c-firm .l1").text_content() == "<script>window.pwned=2</script>"
        assert page.evaluate("window.pwned") is None
        assert page.locator("#panel-stock img").count() == 0
        no_errors(page)
    finally:
        process.stop()


def test_the_screen_signs_the_person_in_again_after_the_hub_restarts(hub, context, clients):
    page = open_staff(hub, context)
    hub.stop()
    wait_until(page, "document.querySelector('#link-pill').dataset.state === 'offline'", timeout=WAIT_MS)
    assert page.is_visible("#offline-banner")
    hub.start()
    wait_until(page, "document.querySelector('#link-pill').dataset.state === 'online'", timeout=15000)
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    row(page, "RICE").locator("button[data-act=restock]").click()
    page.fill("#stock-qty", "5")
    page.click("#stock-submit")
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "RICE")
    wait_until(page, "document.querySelector('.srow[data-sku=\"RICE\"] .c-on_hand').textContent === '55'",
                           timeout=WAIT_MS)
    assert page.is_visible("#app") and page.is_hidden("#signin-screen")
    assert not page.is_visible("#offline-banner")
    # The socket dropped mid-session; nothing else may have gone wrong.
    assert [e for e in page.errors if "WebSocket" not in e and "ERR_CONNECTION_REFUSED" not in e] == []


def test_changes_missed_while_disconnected_are_caught_up(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    page = open_staff(hub, context)
    page.evaluate("window.staffApp.link.socket.disconnect()")
    wait_until(page, "document.querySelector('#link-pill').dataset.state === 'offline'", timeout=WAIT_MS)
    sell(pos, "PEN", 3, 3300)
    sell(pos, "LAST", 3, 297000)
    page.evaluate("window.staffApp.link.socket.connect()")
    wait_until(page, "document.querySelector('.srow[data-sku=\"PEN\"] .c-available .v').textContent === '497'",
                           timeout=WAIT_MS)
    assert row(page, "LAST").get_attribute("data-status") == "out"
    wait_until(page, "document.querySelector('#alert-badge').dataset.count === '1'", timeout=WAIT_MS)
    # Signed in again by itself: a restock goes through.
    row(page, "RICE").locator("button[data-act=restock]").click()
    page.fill("#stock-qty", "1")
    page.click("#stock-submit")
    wait_until(page, "document.querySelector('.srow[data-sku=\"RICE\"] .c-on_hand').textContent === '51'",
                           timeout=WAIT_MS)
    no_errors(page)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_layout_fits_the_desk_screens_in_both_languages(hub, browser, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="ko-KR",
                                  timezone_id="Asia/Seoul")
    try:
        page = open_staff(hub, context)
        for lang in ("ko", "en"):
            for panel in ("stock", "sales", "devices", "printers", "feedback", "alerts", "demos"):
                page.click(f'.sidenav a[data-panel="{panel}"]')
                page.wait_for_selector(f"#panel-{panel}:not([hidden])")
                overflow = page.evaluate("""() => {
                    const wide = [...document.querySelectorAll('#app *')].filter((el) => {
                        const box = el.getBoundingClientRect();
                        return box.width > 0 && box.right > window.innerWidth + 1;
                    });
                    return wide.map((el) => el.id || el.className).slice(0, 5);
                }""")
                assert overflow == [], f"{lang} {panel} at {size}: {overflow}"
            if lang == "ko":
                page.click("#app .lang-btn")
                wait_until(page, "document.documentElement.lang === 'en'")
        assert page.text_content('.sidenav a[data-panel="stock"]') == "Stock"
        page.click('.sidenav a[data-panel="stock"]')
        last_button = row(page, "PEN").locator("button[data-act=history]").bounding_box()
        assert last_button["x"] + last_button["width"] <= size[0]
        no_errors(page)
    finally:
        context.close()


def test_the_page_is_served_with_its_strings_in_both_languages(hub):
    ko = http.get(hub.url + "/staff/i18n/ko.json", timeout=5).json()
    en = http.get(hub.url + "/staff/i18n/en.json", timeout=5).json()
    # English adds plural forms ("key_one") where its plural rules need them; every other key is in both.
    plural_form = re.compile(r"_(zero|one|two|few|many)$")
    assert {k for k in ko if not plural_form.search(k)} == {k for k in en if not plural_form.search(k)}
    assert all(plural_form.sub("", k) in ko for k in en)
    assert all(value.strip() for value in [*ko.values(), *en.values()])
    page = http.get(hub.url + "/staff/", timeout=5).text
    assert '<script src="/vendor/socket.io.min.js"></script>' in page and "http" not in page.split("<body>")[0]



def test_axe_finds_no_serious_violations_on_any_panel(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    sell(pos, "LAST", 3, 297000)  # something in every list: a sale, a sold-out alert
    page = open_staff(hub, context)
    found = {}
    for panel in ("stock", "sales", "devices", "printers", "feedback", "alerts", "demos"):
        page.click(f'.sidenav a[data-panel="{panel}"]')
        wait_until(page, f"!document.querySelector('#panel-{panel} .panel-status')"
                               f" || document.querySelector('#panel-{panel} .panel-status').dataset.state !== 'loading'",
                               timeout=WAIT_MS)
        found[panel] = axe_violations(page)
    page.click('.sidenav a[data-panel="stock"]')
    row(page, "LAST").locator("button[data-act=history]").click()
    page.wait_for_selector("#history-list li", timeout=WAIT_MS)
    found["product side panel"] = axe_violations(page)
    assert {panel: v for panel, v in found.items() if v} == {}


def test_axe_finds_no_serious_violations_on_pairing_and_sign_in(hub, context):
    page = context.new_page()
    page.goto(hub.url + "/staff/")
    page.wait_for_selector("#pair-screen:not([hidden])")
    assert axe_violations(page) == []
    page.fill("#pair-code", hub.pairing_code("staff", "staff-1"))
    page.click("#pair-submit")
    page.wait_for_selector("#signin-screen:not([hidden])")
    assert axe_violations(page) == []
