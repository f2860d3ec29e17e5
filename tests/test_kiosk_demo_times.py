"""The kiosk's demo program in time order: the next sessions of every demo first, then each demo (the one
starting soonest first) with its sessions under day headings (오늘, 내일, a weekday, a date), every session
button the same size whatever its day."""
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.test_kiosk_support import SEOUL, STEP_MS, demo_program_process, paired_kiosk

WEEKDAYS_KO = "월요일 화요일 수요일 목요일 금요일 토요일 일요일".split()
WEEKDAYS_EN = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def program(now: datetime) -> list[tuple]:
    """Three demos listed in the order a demo-by-demo screen would show them, soonest last."""
    at = now.replace(second=0, microsecond=0)
    tomorrow = (at + timedelta(days=1)).replace(hour=11, minute=0)
    later = (at + timedelta(days=3)).replace(hour=11, minute=0)
    far = (at + timedelta(days=9)).replace(hour=11, minute=0)
    return [
        ("LATE", "늦은 체험", "Late Demo", "(주)늦은기업", "C-301", at + timedelta(hours=3), 30, 10),
        ("LATE", "늦은 체험", "Late Demo", "(주)늦은기업", "C-301", tomorrow, 30, 10),
        ("LATE", "늦은 체험", "Late Demo", "(주)늦은기업", "C-301", later, 30, 10),
        ("LATE", "늦은 체험", "Late Demo", "(주)늦은기업", "C-301", far, 30, 10),
        ("MID", "중간 체험", "Middle Demo", "(주)중간기업", "B-201", at + timedelta(hours=1), 30, 10),
        ("SOON", "곧 체험", "Soon Demo", "(주)곧기업", "A-101", at + timedelta(minutes=20), 30, 10),
        ("SOON", "곧 체험", "Soon Demo", "(주)곧기업", "A-101", tomorrow + timedelta(hours=1), 30, 10),
    ]


@pytest.fixture
def demo_page(tmp_path, catalog_csv, context):
    now = datetime.now(SEOUL)
    sessions = program(now)
    hub = demo_program_process(tmp_path, catalog_csv, sessions).start()
    page = paired_kiosk(hub, context).open().wait_live().page
    page.locator("#attract-demos").click()
    expect(page.locator("#demo-next")).to_be_visible(timeout=STEP_MS)
    yield page, now, sessions
    hub.stop()


def slot_id(session) -> str:
    return f"{session[0]}-{session[5]:%m%d%H%M}"


def expected_day(starts: datetime, today, lang: str) -> str:
    ahead = (starts.date() - today).days
    if ahead == 0:
        return "오늘" if lang == "ko" else "Today"
    if ahead == 1:
        return "내일" if lang == "ko" else "Tomorrow"
    if ahead < 7:
        return (WEEKDAYS_KO if lang == "ko" else WEEKDAYS_EN)[starts.weekday()]
    if lang == "ko":
        return f"{starts.month}월 {starts.day}일 ({WEEKDAYS_KO[starts.weekday()][0]})"
    return starts.strftime("%a, %B ") + str(starts.day)


def test_the_next_sessions_across_demos_come_first_soonest_first(demo_page):
    page, _, sessions = demo_page
    soonest = sorted(sessions, key=lambda s: s[5])
    shown = page.eval_on_selector_all("#demo-next-list .next-slot", "bs => bs.map(b => b.dataset.slotId)")
    assert shown == [slot_id(s) for s in soonest[:6]]
    first = page.locator("#demo-next-list .next-slot").first
    expect(first).to_contain_text("곧 체험")
    expect(first).to_contain_text(f"{soonest[0][5]:%H:%M}")
    # The next sessions come before the program, at the top of the screen.
    assert page.locator("#demo-next").bounding_box()["y"] < page.locator("#demo-list").bounding_box()["y"]


def test_then_each_demo_starting_soonest_first(demo_page):
    page, _, _ = demo_page
    order = page.eval_on_selector_all("#demo-list .demo", "ds => ds.map(d => d.dataset.demoId)")
    assert order == ["SOON", "MID", "LATE"]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_later_days_say_tomorrow_or_the_weekday_or_the_date(demo_page, lang):
    page, now, sessions = demo_page
    if lang == "en":
        page.locator("#demos-lang").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    late = page.locator('#demo-list .demo[data-demo-id="LATE"]')
    days = late.locator(".slot-day").all_text_contents()
    late_days = sorted({s[5].date(): s[5] for s in sessions if s[0] == "LATE"}.values())
    assert days == [expected_day(starts, now.date(), lang) for starts in late_days]
    # A session's button shows its time; its day is the heading above it.
    for session in (s for s in sessions if s[0] == "LATE"):
        button = late.locator(f'.slot[data-slot-id="{slot_id(session)}"]')
        expect(button.locator(".slot-time")).to_have_text(f"{session[5]:%H:%M}")
    # Among the next sessions, a later day's session says its day with its time.
    tomorrow_soon = page.locator(f'#demo-next-list .next-slot[data-slot-id="{slot_id(sessions[1])}"]')
    if (sessions[1][5].date() - now.date()).days == 1 and tomorrow_soon.count():
        expect(tomorrow_soon.locator(".slot-time")).to_have_text(
            f"{expected_day(sessions[1][5], now.date(), lang)} {sessions[1][5]:%H:%M}")


def test_every_session_button_has_the_same_shape_whatever_its_day(demo_page):
    page, _, _ = demo_page
    sizes = page.eval_on_selector_all(
        "#demo-list .slot", "bs => bs.map(b => [Math.round(b.getBoundingClientRect().width),"
        " Math.round(b.getBoundingClientRect().height)])")
    assert len(sizes) == 7
    assert len({tuple(size) for size in sizes}) == 1, sizes
