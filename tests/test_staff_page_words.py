"""The staff screen's own words: times written one way, and the hub's refusals and alerts in the screen's
language with their details, never the hub's English message."""
import re

from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell

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
    page.wait_for_function("document.querySelector('#sales-status').textContent.includes('갱신')", timeout=WAIT_MS)
    # ko-KR's own formatter wrote "0시 45분 56초" here and "오전 12:46:30" on the devices panel.
    assert re.fullmatch(r"실시간 · \d\d:\d\d:\d\d 갱신", page.text_content("#sales-status"))
    page.click('.sidenav a[data-panel="devices"]')
    page.wait_for_function("document.querySelector('#devices-status').textContent.includes('갱신')", timeout=WAIT_MS)
    assert re.fullmatch(r"\d\d:\d\d:\d\d 갱신", page.text_content("#devices-status"))
    assert re.fullmatch(r"\d{1,2}월 \d{1,2}일 \d\d:\d\d", page.text_content('#devices-table tr[data-device="pos-1"] td:nth-child(6)'))

    page.click('.sidenav a[data-panel="alerts"]')
    alert = page.locator('#alert-list li[data-kind="sold_out"]')
    alert.wait_for(timeout=WAIT_MS)
    assert re.search(r"\d{1,2}월 \d{1,2}일 \d\d:\d\d 발생", alert.text_content())
    page.click("#app .lang-btn")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert re.search(r"raised \d{1,2} [A-Z][a-z]{2} \d\d:\d\d", alert.text_content()), alert.text_content()
    no_errors(page)
