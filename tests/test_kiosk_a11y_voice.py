"""The voice guide (음성 안내): what the kiosk asks the browser's speechSynthesis to say, in which language, at
what rate and volume, and the caption shown with each line. The voice itself is the edge: a page init script
stands in for speechSynthesis and records every line it is asked to speak."""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.pages import wait_until
from tests.test_kiosk_a11y_keys import move_to, press
from tests.test_kiosk_support import STEP_MS, kiosk, kiosk_hall_process, kiosk_hub, paired_kiosk  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
WORDS = {lang: json.loads((ROOT / "kiosk" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
         for lang in ("ko", "en")}

# Records what is asked, with the caption on screen at that moment; speaks nothing.
RECORD_SPEECH = """
window.__spoken = [];
if (typeof window.SpeechSynthesisUtterance === 'undefined') {
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
}
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speaking: false, pending: false, paused: false,
  speak(line) {
    const caption = document.getElementById('caption-text');
    window.__spoken.push({ text: line.text, lang: line.lang, rate: line.rate, volume: line.volume,
                           caption: caption ? caption.textContent : null,
                           captionShown: !!caption && caption.getClientRects().length > 0 });
  },
  cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
  addEventListener() {}, removeEventListener() {},
}});
"""


def fill(template: str, **values) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)


@pytest.fixture
def listening(kiosk):
    kiosk.page.context.add_init_script(RECORD_SPEECH)
    return kiosk


def spoken(page) -> list[dict]:
    return page.evaluate("window.__spoken")


def said(page, text: str, timeout: float = 10_000) -> dict:
    """The first line asked for that contains `text` (waiting for it)."""
    found = wait_until(page, "(text) => window.__spoken.find((line) => line.text.includes(text))", text,
                       timeout=timeout)
    return found


def test_the_keypads_voice_key_starts_the_guide_and_every_line_has_its_caption(listening):
    page = listening.open().wait_live().page
    assert spoken(page) == []  # silent until asked
    page.keyboard.press("*")
    on = said(page, WORDS["ko"]["voice.on"])
    assert on["lang"] == "ko-KR" and on["rate"] == 1 and on["volume"] == 1
    said(page, WORDS["ko"]["voice.screen.attract"])
    expect(page.locator("#voice-panel")).to_be_visible()
    expect(page.locator("#access-voice")).to_have_attribute("aria-pressed", "true")
    move_to(page, "#attract-start")
    page.keyboard.press("Enter")
    said(page, WORDS["ko"]["voice.screen.browse"])
    press(page, '#products .card[data-sku="ROBOT"] .btn-add')
    # The focused item by its name, and where it stands among the products.
    focus_line = said(page, "장바구니에 담기: 교육용 로봇 키트")
    assert re.search(r"5개 중 \d번째", focus_line["text"]), focus_line
    said(page, fill(WORDS["ko"]["voice.cart"], name="교육용 로봇 키트", qty=1, total="55,000원"))
    for line in spoken(page):
        assert line["caption"] == line["text"] and line["captionShown"], line


def test_an_order_is_read_with_its_code_time_total_and_countdown(tmp_path, catalog_csv, context):
    hub = kiosk_hall_process(tmp_path, catalog_csv, hold_seconds=65).start()
    try:
        context.add_init_script(RECORD_SPEECH)
        shop = paired_kiosk(hub, context)
        page = shop.open().wait_live().page
        page.keyboard.press("*")
        shop.start().add("PEN")
        code = shop.order()
        line = said(page, "주문이 접수되었습니다")
        assert " ".join(code) in line["text"] and "1,100원" in line["text"]
        assert re.search(r"\d\d:\d\d까지 계산대에서 결제하세요", line["text"])
        # Each minute left, then 30 and 10 seconds: a 65-second hold says "1 minute" five seconds in.
        said(page, fill(WORDS["ko"]["voice.countdown"], time="1분"), timeout=STEP_MS)
    finally:
        hub.stop()


def test_errors_are_read_out(listening):
    page = listening.open().wait_live().start().add("PEN").page
    page.locator("#access-voice").click()
    listening.hub.stop()
    said(page, WORDS["ko"]["link.stale"], timeout=STEP_MS)
    said(page, WORDS["ko"]["order.offline"], timeout=STEP_MS)
    page.locator("#access-call").click()
    said(page, WORDS["ko"]["help.failed"], timeout=STEP_MS * 2)
    expect(page.locator("#help-status")).to_have_text(WORDS["ko"]["help.failed"])


def test_english_visitors_hear_english_at_their_rate_and_volume(listening):
    page = listening.open().wait_live().page
    page.locator('#attract-langs [data-lang="en"]').click()
    page.locator("#access-voice").click()
    assert said(page, WORDS["en"]["voice.on"])["lang"] == "en-US"
    page.locator("#voice-faster").click()
    page.locator("#voice-quieter").click()
    line = said(page, fill(WORDS["en"]["voice.settings"], rate="1.2", volume=80))
    assert line["rate"] == pytest.approx(1.2) and line["volume"] == pytest.approx(0.8) and line["lang"] == "en-US"
    expect(page.locator("#voice-settings")).to_have_text("Speed 1.2 · volume 80%")
    listening.add("PEN")
    line = said(page, fill(WORDS["en"]["voice.cart"], name="Eco Pen", qty=1, total="₩1,100"))
    assert line["rate"] == pytest.approx(1.2) and line["volume"] == pytest.approx(0.8)
    assert not any(re.search(r"[가-힣]", entry["text"]) for entry in spoken(page)), spoken(page)


def test_a_long_press_starts_the_guide_and_does_nothing_else(listening):
    page = listening.open().wait_live().page
    box = page.locator("#attract-start").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    said(page, WORDS["ko"]["voice.on"], timeout=STEP_MS)
    page.mouse.up()
    page.wait_for_timeout(300)
    expect(page.locator("#attract-screen")).to_be_visible()  # the press did not also start the shop
    # A short touch still does what it always did.
    page.locator("#attract-start").click()
    expect(page.locator("#browse")).to_be_visible()


def test_the_idle_warning_comes_later_and_is_spoken(listening):
    page = listening.open("?idle=1&warn=4").wait_live().start().page
    page.keyboard.press("*")
    said(page, WORDS["ko"]["voice.on"])
    # With the guide on the visitor gets three times as long, and twice the warning.
    assert page.evaluate("document.body.dataset.idleSeconds") == "3"
    expect(page.locator("#idle-dialog")).to_be_visible(timeout=STEP_MS)
    said(page, "8초 뒤 처음 화면으로", timeout=STEP_MS)
