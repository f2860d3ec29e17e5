"""The staff screen's own words: times written one way, and the hub's refusals and alerts in the screen's
language with their details, never the hub's English message."""
import json
import re
import uuid
from pathlib import Path

import pytest

from hub.rules.alerts import KINDS
from tests.pages import wait_until
from tests.test_protocol_doc import codes_raised_in_hub
from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell
from tests.test_staff_page_devices import printing_hub  # noqa: F401 (a fixture)

STAFF_WORDS = {lang: json.loads((Path(__file__).resolve().parent.parent / "staff" / "i18n" / f"{lang}.json")
                                .read_text(encoding="utf-8")) for lang in ("ko", "en")}

# The hub writes the hall's clock with its offset; every screen shows it as written.
LATE_NIGHT = "2026-11-25T00:45:56.123+09:00"


def test_the_shared_time_formatter_writes_the_halls_clock_one_way(hub, context):
    page = context.new_page()
    page.goto(hub.url + "/")
    written = page.evaluate("""async (iso) => {
        const time = await import('/common/time.js');
        return [time.clock(iso), time.clockShort(iso), time.dayClock(iso, 'ko'), time.dayClock(iso, 'en'),
                time.dayClock(iso, 'ko', { seconds: true }), time.dayOf('2026-11-27', 'en'), time.clock(null),
                time.nowClock(new Date(2026, 10, 25, 9, 5, 7))];
    }""", LATE_NIGHT)
    assert written == ["00:45:56", "00:45", "11월 25일 00:45", "25 Nov 00:45", "11월 25일 00:45:56", "27 Nov", "",
                       "09:05:07"]


def test_the_as_of_notes_and_alert_times_use_the_one_clock(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    sell(pos, "LAST", 3, 297000)  # a sold-out alert
    page = open_staff(hub, context, panel="sales")
    wait_until(page, "document.querySelector('#sales-status').textContent.includes('갱신')", timeout=WAIT_MS)
    # ko-KR's own formatter wrote "0시 45분 56초" here and "오전 12:46:30" on the devices panel.
    assert re.fullmatch(r"실시간 · \d\d:\d\d:\d\d 갱신", page.text_content("#sales-status"))
    assert re.fullmatch(r"오늘 \(\d{1,2}월 \d{1,2}일\)", page.text_content("#sales-cards h3"))
    assert re.fullmatch(r"\d{1,2}월 \d{1,2}일 \(오늘\)", page.locator("#chart-day option").first.text_content())
    page.click('.sidenav a[data-panel="devices"]')
    wait_until(page, "document.querySelector('#devices-status').textContent.includes('갱신')", timeout=WAIT_MS)
    assert re.fullmatch(r"\d\d:\d\d:\d\d 갱신", page.text_content("#devices-status"))
    assert re.fullmatch(r"\d{1,2}월 \d{1,2}일 \d\d:\d\d", page.text_content('#devices-table tr[data-device="pos-1"] td:nth-child(6)'))

    page.click('.sidenav a[data-panel="alerts"]')
    alert = page.locator('#alert-list li[data-kind="sold_out"]')
    alert.wait_for(timeout=WAIT_MS)
    assert re.search(r"\d{1,2}월 \d{1,2}일 \d\d:\d\d 발생", alert.text_content())
    page.click("#app .lang-btn")
    wait_until(page, "document.documentElement.lang === 'en'")
    assert re.search(r"raised \d{1,2} [A-Z][a-z]{2} \d\d:\d\d", alert.text_content()), alert.text_content()
    no_errors(page)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_code_the_hub_answers_with_has_the_screens_own_words(lang):
    words = STAFF_WORDS[lang]
    missing = sorted(code for code in codes_raised_in_hub() if f"error.{code}" not in words)
    assert missing == [], f"staff/i18n/{lang}.json has no words for {missing}"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_alert_kind_has_a_name_and_a_message(lang):
    words = STAFF_WORDS[lang]
    missing = sorted(kind for kind in KINDS if f"alert.kind.{kind}" not in words or f"alert.msg.{kind}" not in words)
    assert missing == []


def offline_sale_refused(hub, clients) -> None:
    """An offline sale of a product the hub does not know: it cannot be booked, so the hub keeps it apart."""
    pos = clients(hub.client("pos", "pos-1"))
    refused = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "NOSUCH", "qty": 5}],
                                    "payments": [{"method": "cash", "amount": 495000}],
                                    "offline_at": "2026-11-25T10:00:00+09:00"})
    assert refused["error"]["message"] == "no product with sku NOSUCH"


def test_a_refused_offline_sale_is_told_in_the_screens_language(hub, context, clients):
    page = open_staff(hub, context, panel="alerts")
    offline_sale_refused(hub, clients)
    alert = page.locator('#alert-list li[data-kind="replay_refused"]')
    alert.wait_for(timeout=WAIT_MS)
    failure = page.locator("#replay-list li.replay")
    failure.wait_for(timeout=WAIT_MS)
    korean = "없는 상품입니다"
    assert korean in alert.text_content() and korean in failure.text_content()
    assert korean in page.text_content("#toasts")
    for shown in (alert.text_content(), failure.text_content(), page.text_content("#toasts")):
        assert "no product" not in shown, shown

    page.click("#app .lang-btn")
    wait_until(page, "document.documentElement.lang === 'en'")
    assert "no such product" in alert.text_content() and "no such product" in failure.text_content()
    no_errors(page)


def test_an_oversold_offline_sale_is_told_in_the_screens_words_and_settled_with_a_note(hub, context, clients):
    page = open_staff(hub, context, panel="alerts")
    pos = clients(hub.client("pos", "pos-1"))
    sold = pos.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 5, "unit_price": 99000}],
                                 "payments": [{"method": "cash", "amount": 495000}],
                                 "offline_at": "2026-11-25T10:00:00+09:00"})
    assert sold["ok"], sold
    alert = page.locator('#alert-list li[data-kind="oversold"]')
    alert.wait_for(timeout=WAIT_MS)
    assert "한정판 드론 (LAST): 재고보다 2개 더 팔렸습니다" in alert.text_content(), alert.text_content()
    row = page.locator("#discrepancy-list li.discrepancy")
    row.wait_for(timeout=WAIT_MS)
    assert "2개" in row.text_content() and sold["sale"]["receipt_no"] in row.text_content()
    row.locator("input").fill("업체 예비 재고에서 2개 전달 확인")
    row.locator("button[type=submit]").click()
    wait_until(page, "!document.querySelector('#discrepancy-list li.discrepancy')", timeout=WAIT_MS)
    assert page.locator('#alert-list li[data-kind="oversold"] button[data-do="ack"]').count() == 0
    no_errors(page)


def test_a_printer_in_trouble_is_told_in_the_screens_words(printing_hub, context, clients):
    hub = printing_hub
    pos = clients(hub.client("pos", "pos-1"))
    sell(pos, "PEN", 1, 1100)
    pos.wait_for(lambda e: e["type"] == "print.failed", timeout=5)
    page = open_staff(hub, context, panel="alerts")
    alert = page.locator('#alert-list li[data-kind="printer"]')
    alert.wait_for(timeout=WAIT_MS)
    assert "프린터 counter-1: 오프라인 (연결 거부" in alert.text_content(), alert.text_content()
    page.click('.sidenav a[data-panel="printers"]')
    card = page.locator('#printer-cards [data-printer="counter-1"]')
    card.wait_for(timeout=WAIT_MS)
    assert "연결 거부" in card.text_content() and "refused" not in card.text_content()
    failed = page.locator("#failed-jobs li.failed")
    failed.wait_for(timeout=WAIT_MS)
    assert not re.search(r"[A-Za-z]{4,}", failed.locator(".reason").text_content())
    assert "Errno" not in failed.text_content() and "refused" not in failed.text_content()
    no_errors(page)


def test_english_counts_follow_the_plural_rules(hub, context, clients):
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    assert kiosk.call("feedback", {"feedback_id": str(uuid.uuid4()), "rating": 5, "context": "order"})["ok"]
    pos = clients(hub.client("pos", "pos-1"))
    sell(pos, "LAST", 3, 297000)  # one sold-out alert
    page = open_staff(hub, context, panel="feedback", lang="en")
    wait_until(page, "document.querySelector('#feedback-status').textContent.includes('rating')",
                           timeout=WAIT_MS)
    assert page.text_content("#feedback-status") == "1 rating, newest first"
    wait_until(page, "document.querySelector('#alert-badge').dataset.count === '1'", timeout=WAIT_MS)
    assert page.get_attribute("#alert-badge", "title") == "1 open alert"
    page.click('.sidenav a[data-panel="sales"]')
    page.wait_for_selector("#firms-table tfoot th", timeout=WAIT_MS)
    assert page.text_content("#firms-table tfoot th") == "Total (4 firms)"
    no_errors(page)
