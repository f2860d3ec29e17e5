"""The kiosk's accessibility modes at its real size (1080x1920 portrait): low screen puts everything a visitor
touches or reads in the lower half, large text and the simple screen change what they say they change, axe-core
finds nothing serious in any mode, any mode gives more time, and the attract screen says what the kiosk offers."""
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.pages import axe_violations, sideways_overflow
from tests.test_kiosk_support import SEOUL, STEP_MS, demo_program_process, paired_kiosk

ROOT = Path(__file__).resolve().parent.parent
PORTRAIT = {"width": 1080, "height": 1920}
# The lower half: a kiosk screen's top edge is out of reach from a wheelchair (about 1.2 m up on a floor stand).
REACH_TOP = PORTRAIT["height"] / 2
CLIPPING = ".vgrid, .chips, .cart-lines, .order-lines"


@pytest.fixture(scope="module")
def access_hub(tmp_path_factory):
    """A hall with a demo program, the hall plan and kiosk-1's slip printer: every screen the kiosk has."""
    folder = tmp_path_factory.mktemp("access-hall")
    catalog = folder / "catalog.csv"
    from tests.conftest import TEST_CATALOG
    catalog.write_text(TEST_CATALOG, encoding="utf-8")
    soon = datetime.now(SEOUL) + timedelta(hours=1)
    process = demo_program_process(folder, catalog, [
        ("COBOT", "협동로봇 시연", "Cobot Demo", "(주)한빛로보틱스", "A-101", soon, 30, 8),
        ("DRONE", "드론 비행 시연", "Drone Flight", "(주)하늘드론", "C-301", soon + timedelta(hours=1), 30, 8)],
        # Every test here orders at kiosk-1 and none pays: more open orders than a real kiosk may hold.
        extra=f'\n[hall_plan]\nfile = "{(ROOT / "config" / "hall-plan.json").as_posix()}"\n'
              '\n[kiosk]\nmax_open_orders = 100\n').start()
    yield process
    process.stop()


@pytest.fixture
def tall(browser, access_hub):
    context = browser.new_context(viewport=PORTRAIT, locale="ko-KR", timezone_id="Asia/Seoul")
    yield paired_kiosk(access_hub, context)
    context.close()


# Every element on screen, its box cut to the boxes that clip it (a scrolled-out card is not on screen).
OUT_OF_REACH = """(limit) => {
    const out = [];
    let controls = 0;
    for (const el of document.querySelectorAll('body *')) {
        if (el.closest('#reach-note, [inert], [hidden], dialog:not([open])')) continue;
        const box = el.getBoundingClientRect();
        if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
        let top = box.top, bottom = box.bottom;
        for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
            const style = getComputedStyle(up);
            if (style.overflowY !== 'visible' || style.contain.includes('strict')) {
                const clip = up.getBoundingClientRect();
                top = Math.max(top, clip.top);
                bottom = Math.min(bottom, clip.bottom);
            }
        }
        if (bottom - top < 1) continue;
        if (el.matches('button, input, a[href], [tabindex]')) controls += 1;
        if (top < limit - 1) out.push(`${el.tagName}#${el.id}.${el.className} top ${Math.round(top)}`);
    }
    return { controls, out: out.slice(0, 8) };
}"""


def low_screen_on(page):
    page.locator("#access-low").click()
    expect(page.locator("body")).to_have_class(re.compile(r"\blow-reach\b"), timeout=STEP_MS)
    expect(page.locator("#reach-note")).to_be_visible()
    page.wait_for_timeout(100)  # the grid's resize observer lays the cards out again


def assert_in_reach(page, at_least: int = 3):
    found = page.evaluate(OUT_OF_REACH, REACH_TOP)
    assert found["out"] == [] and found["controls"] >= at_least, found


def test_low_screen_keeps_every_control_and_word_of_every_screen_in_the_lower_half(tall):
    page = tall.open().wait_live().page
    expect(page.locator("#attract-demos")).to_be_visible(timeout=STEP_MS)
    low_screen_on(page)
    assert_in_reach(page)                                       # attract
    tall.start().add("ROBOT").add("PEN")
    page.locator("#search").click()                             # browse, the on-screen keyboard open
    expect(page.locator("#search-keyboard")).to_be_visible()
    assert_in_reach(page, at_least=30)
    page.keyboard.press("Escape")
    page.locator("#access-voice").click()                       # captions and voice settings too
    page.locator("#access-call").click()
    expect(page.locator("#help-status")).to_be_visible()
    assert_in_reach(page)
    tall.order()                                                # order
    assert_in_reach(page)
    page.locator("#order-cancel").click()                       # a dialog
    expect(page.locator("#cancel-dialog")).to_be_visible()
    assert_in_reach(page, at_least=2)
    page.locator("#cancel-no").click()
    page.locator("#order-done").click()
    low_screen_on(page)                                         # a new visitor starts with it off
    page.locator("#attract-demos").click()                      # demos, then a party
    expect(page.locator("#demo-next .next-slot").first).to_be_visible(timeout=STEP_MS)
    assert_in_reach(page)
    page.locator("#demo-next .next-slot").first.click()
    assert_in_reach(page)
    page.locator("#demo-change").click()
    page.locator("#demos-shop").click()
    tall.card("ROBOT").locator(".card-where").click()           # the hall plan
    expect(page.locator("#plan-screen")).to_be_visible()
    assert_in_reach(page)


def test_low_screen_is_one_button_and_goes_back_the_same_way(tall):
    page = tall.open().wait_live().start().page
    top = page.locator("#search").bounding_box()["y"]
    low_screen_on(page)
    assert page.locator("#search").bounding_box()["y"] >= REACH_TOP
    assert page.locator("#access-low").bounding_box()["y"] > PORTRAIT["height"] - 120  # always at the bottom
    page.locator("#access-low").click()
    expect(page.locator("#reach-note")).to_be_hidden()
    assert page.locator("#search").bounding_box()["y"] == top


MODES = {
    "low screen": ["#access-low"],
    "voice guide": ["#access-voice"],
    "large text": ["#access-text"],
    "extra large text": ["#access-text", "#access-text"],
    "simple screen": ["#access-simple"],
    "all at once, high contrast": ["#access-low", "#access-voice", "#access-text", "#access-simple", "#contrast-btn"],
}


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_serious_violations_in_any_mode(tall, mode):
    # The module's hall is shared: each test orders from the deepest stock, so none runs another out.
    page = tall.open().wait_live().start().add("RICE").page
    for button in MODES[mode]:
        page.locator(button).click()
    page.locator("#access-call").click()
    expect(page.locator("#help-status")).to_be_visible()
    assert axe_violations(page) == []
    tall.order()
    assert axe_violations(page) == []


def test_axe_finds_no_serious_violations_on_the_attract_screen_and_the_accessibility_page(tall):
    page = tall.open().wait_live().page
    page.locator("#access-low").click()
    assert axe_violations(page) == []
    page.locator("#attract-about").click()
    expect(page.locator("#access-screen")).to_be_visible()
    assert axe_violations(page) == []


@pytest.mark.parametrize("presses", [1, 2], ids=["large", "extra large"])
def test_large_text_grows_the_words_and_nothing_runs_off_the_side(tall, presses):
    page = tall.open().wait_live().start().add("RICE").page
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.card-name')).fontSize)")  # noqa: E731
    before = size()
    for _ in range(presses):
        page.locator("#access-text").click()
    expect(page.locator("#access-text")).to_have_attribute("data-size", str(presses))
    assert size() >= before * (1.45 if presses == 1 else 1.95)  # 150%, then the 200% the criteria ask for
    found = sideways_overflow(page, clipping=CLIPPING)
    assert found["out"] == [] and found["scrollWidth"] <= found["width"], found
    name = tall.card("LAST").locator(".card-name")
    assert name.evaluate("(el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1")
    code = tall.order()
    found = sideways_overflow(page, clipping=CLIPPING)
    assert found["out"] == [] and found["scrollWidth"] <= found["width"], found
    assert page.locator("#order-code").evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), code


def test_the_simple_screen_has_fewer_choices_one_step_and_back_and_home(tall):
    page = tall.open().wait_live().start().page
    cards = lambda: page.evaluate("new Set([...document.querySelectorAll('#products .card:not([hidden])')]"  # noqa: E731
                                  ".map((c) => Math.round(c.getBoundingClientRect().left))).size")
    assert cards() == 3
    page.locator("#access-simple").click()
    expect(page.locator(".tabs")).to_be_hidden()
    assert cards() == 1  # one product a row, larger
    expect(page.locator("#simple-step")).to_have_text("1단계: 상품을 골라 담으세요")
    expect(page.locator("#access-back")).to_be_visible()
    expect(page.locator("#access-home")).to_be_visible()
    page.locator("#demos-btn").click()
    expect(page.locator("#demo-next")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#demo-list")).to_be_hidden()  # the next sessions only, not every demo's every session
    page.locator("#demo-next .next-slot").first.click()
    expect(page.locator("#demo-party-view")).to_be_visible()
    page.locator("#access-back").click()
    expect(page.locator("#demo-list-view")).to_be_visible()
    page.locator("#access-home").click()
    expect(page.locator("#attract-screen")).to_be_visible()
    expect(page.locator("body")).not_to_have_class(re.compile(r"\b(simple|a11y)\b"))  # the next visitor starts plain


def test_any_mode_gives_three_times_as_long(tall):
    page = tall.open("?idle=20&warn=5").wait_live().start().page
    assert page.evaluate("document.body.dataset.idleSeconds") == "20"
    page.locator("#access-low").click()
    assert page.evaluate("document.body.dataset.idleSeconds") == "60"
    page.locator("#access-low").click()
    assert page.evaluate("document.body.dataset.idleSeconds") == "20"


def test_the_attract_screen_says_the_kiosk_is_accessible_and_how(tall):
    page = tall.open().wait_live().page
    notice = page.locator("#attract-notice")
    expect(notice.locator('span[lang="ko"]')).to_contain_text("접근성")
    expect(notice.locator('span[lang="en"]')).to_contain_text("accessible")
    page.locator("#attract-about").click()
    expect(page.locator("#access-screen")).to_be_visible()
    expect(page.locator("#access-screen .access-list li")).to_have_count(7)
    expect(page.locator("#access-screen")).to_contain_text("직원 호출")
    page.locator("#access-close").click()
    expect(page.locator("#attract-screen")).to_be_visible()
