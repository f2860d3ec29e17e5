"""The door scanner page online: pairing, the booth, and the hub's answer to each scan, green or red."""
import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.test_scan_page_support import (BOOTH, STEP_MS, altered, book, close_answer, expect_answer,  # noqa: F401
                                          foreign_signed, open_scanner, phone, revoke, scan, scan_hub, ticket_row)

# What a short code typed with the Korean keyboard on looks like: each Latin key gives its jamo (두벌식).
JAMO = dict(zip("rseqfatdwczxvgkoijpuhynbml", "ㄱㄴㄷㅂㄹㅁㅅㅇㅈㅊㅋㅌㅍㅎㅏㅐㅑㅓㅔㅕㅗㅛㅜㅠㅡㅣ"))


def test_pairing_and_choosing_a_booth_opens_the_scanner_and_is_remembered(scan_hub, phone):
    page = phone.new_page()
    page.goto(scan_hub.url + "/scan/")
    page.locator("#pair-code").fill(scan_hub.pairing_code("scanner", "door-1"))
    page.locator("#pair-submit").click()
    choices = page.locator(".booth-choice")
    expect(choices).to_have_count(2, timeout=STEP_MS)
    expect(page.locator('.booth-choice[data-booth="C-301"]')).to_contain_text("Drone Flight Show")
    page.locator(f'.booth-choice[data-booth="{BOOTH}"]').click()
    expect(page.locator("#booth-chip")).to_contain_text(BOOTH)
    expect(page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
    expect(page.locator('#door-name [lang="en"]')).to_have_text("Door door-1")
    page.reload()
    expect(page.locator("#scan-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#booth-chip")).to_contain_text(BOOTH)
    assert page.evaluate("localStorage.getItem('scan.booth')") == '"A-103"'


def test_counts_take_the_plural_each_language_uses(scan_hub, phone):
    page = phone.new_page()
    page.goto(scan_hub.url + "/scan/")
    page.locator("#pair-code").fill(scan_hub.pairing_code("scanner", "door-1"))
    page.locator("#pair-submit").click()
    expect(page.locator(".booth-choice")).to_have_count(2, timeout=STEP_MS)
    one, two = (page.locator(f'.booth-choice[data-booth="{b}"] .booth-slots') for b in ("C-301", BOOTH))
    expect(one.locator('[lang="en"]')).to_have_text(re.compile(r"^1 session · next \d\d:\d\d$"))
    expect(two.locator('[lang="en"]')).to_have_text(re.compile(r"^2 sessions · next "))
    expect(one.locator('[lang="ko"]')).to_have_text(re.compile(r"^세션 1개 · 다음 \d\d:\d\d$"))


def test_an_unknown_pairing_code_is_refused_in_korean_and_english(scan_hub, phone):
    page = phone.new_page()
    page.goto(scan_hub.url + "/scan/")
    page.locator("#pair-code").fill("ACDE-FGHJ")
    page.locator("#pair-submit").click()
    expect(page.locator('#pair-status [lang="ko"]')).to_contain_text("없는 연결 코드", timeout=STEP_MS)
    expect(page.locator('#pair-status [lang="en"]')).to_contain_text("not valid")
    expect(page.locator("#pair-screen")).to_be_visible()


def test_a_code_for_another_role_is_refused(scan_hub, phone):
    page = phone.new_page()
    page.goto(scan_hub.url + "/scan/")
    page.locator("#pair-code").fill(scan_hub.pairing_code("kiosk", "kiosk-1"))
    page.locator("#pair-submit").click()
    expect(page.locator('#pair-status [lang="en"]')).to_contain_text("not for a scanner", timeout=STEP_MS)


def test_a_handheld_scan_admits_the_party_then_says_already_used_with_the_time(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=3)
    page = open_scanner(phone, scan_hub)
    scan(page, ticket["qr"])
    answer = expect_answer(page, "admitted", offline=False)
    expect(answer).to_have_attribute("data-tone", "green")
    expect(page.locator('#answer-title [lang="en"]')).to_have_text("Admitted")
    expect(page.locator('#answer-party [lang="ko"]')).to_have_text("3명")
    expect(page.locator('#answer-demo')).to_contain_text("Cobot Demo")
    first = ticket_row(scan_hub, ticket["ticket_id"])
    assert first["status"] == "checked_in" and first["door"] == "door-1"
    close_answer(page)

    scan(page, ticket["qr"])
    answer = expect_answer(page, "already_used", offline=False)
    expect(answer).to_have_attribute("data-tone", "red")
    used_at = first["checked_in_at"][11:19]  # HH:MM:SS of the first admission, as the hub recorded it
    expect(page.locator('#answer-detail [lang="en"]')).to_have_text(f"Admitted at {used_at} at door door-1")
    expect(page.locator('#answer-detail [lang="ko"]')).to_contain_text(used_at)
    expect(page.locator("#recent-list .recent-item")).to_have_count(2)


def test_the_answer_clears_by_itself_for_the_next_visitor(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    scan(page, ticket["qr"])
    expect_answer(page, "admitted")
    expect(page.locator("#answer")).to_be_hidden(timeout=STEP_MS)


@pytest.mark.parametrize("spoil", [altered, lambda qr: qr[:-6], foreign_signed, lambda qr: "HOLD:ABCDEF"],
                         ids=["altered payload", "truncated", "signed by another key", "not a ticket"])
def test_a_spoiled_code_is_not_a_valid_ticket(scan_hub, phone, clients, spoil):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    scan(page, spoil(ticket["qr"]))
    expect_answer(page, "invalid", offline=False)
    expect(page.locator('#answer-title [lang="en"]')).to_have_text("Not a valid ticket")
    expect(page.locator('#answer-title [lang="ko"]')).to_have_text("유효한 티켓이 아닙니다")
    assert ticket_row(scan_hub, ticket["ticket_id"])["status"] == "booked"


def test_a_ticket_for_another_booth_is_the_wrong_demo(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["other_booth"])
    page = open_scanner(phone, scan_hub)
    scan(page, ticket["qr"])
    expect_answer(page, "wrong_demo")
    expect(page.locator('#answer-detail [lang="en"]')).to_contain_text("Drone Flight Show at booth C-301")


def test_a_ticket_for_a_later_session_is_too_early_and_says_when_it_opens(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["later"])
    page = open_scanner(phone, scan_hub)
    scan(page, ticket["qr"])
    expect_answer(page, "too_early")
    opens = ticket["valid_from"][11:16]
    expect(page.locator('#answer-detail [lang="en"]')).to_contain_text(f"Entry opens at")
    expect(page.locator('#answer-detail [lang="en"]')).to_contain_text(opens)


def test_a_cancelled_ticket_is_refused(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    assert kiosk.call("ticket_cancel", {"ticket_id": ticket["ticket_id"]})["ok"]
    page = open_scanner(phone, scan_hub)
    scan(page, ticket["qr"])
    expect_answer(page, "cancelled")
    expect(page.locator('#answer-title [lang="en"]')).to_have_text("Cancelled ticket")


def test_the_short_code_typed_in_the_box_is_checked_by_the_hub(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    page = open_scanner(phone, scan_hub)
    code = ticket["short_code"].lower()
    page.locator("#manual-code").fill(f"{code[:4]}-{code[4:]}")
    page.locator("#manual-submit").click()
    expect_answer(page, "admitted", offline=False)
    expect(page.locator('#answer-party [lang="en"]')).to_have_text("Party of 2")


def test_the_door_lists_the_code_printed_on_the_ticket_and_typing_it_admits(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    scanned, typed = book(kiosk, scan_hub.slots["now"], party=2), book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    scan(page, scanned["qr"])
    expect_answer(page, "admitted", offline=False)
    # The kiosk and the paper show short_code; the door shows and lists the very same characters.
    expect(page.locator("#answer-code b")).to_have_text(scanned["short_code"])
    close_answer(page)
    expect(page.locator("#recent-list .recent-what").first).to_have_text(f"×2 {scanned['short_code']}")

    # What the staff job list shows for the other ticket, typed at the door: the genuine ticket goes in.
    page.locator("#manual-code").fill(typed["ticket_id"])
    page.locator("#manual-submit").click()
    expect_answer(page, "admitted", offline=False)
    close_answer(page)
    listed = page.locator("#recent-list .recent-what").first.text_content().split()[-1]
    page.locator("#manual-code").fill(listed)
    page.locator("#manual-code").press("Enter")
    expect_answer(page, "already_used", offline=False)
    assert listed == typed["short_code"]


def test_the_code_box_shows_a_whole_example_of_a_real_ticket_code(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    code = book(kiosk, scan_hub.slots["now"])["short_code"]
    page = open_scanner(phone, scan_hub)
    box = page.locator("#manual-code")
    example = box.get_attribute("placeholder")
    alphabet = "ACDEFGHJKMNPQRTUVWXY34679"
    assert len(example) == len(code) and set(example) <= set(alphabet), example
    room, needed = box.evaluate("""(el) => {
        const style = getComputedStyle(el, "::placeholder");
        const ctx = document.createElement("canvas").getContext("2d");
        ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const spacing = parseFloat(style.letterSpacing) || 0;
        const padding = parseFloat(getComputedStyle(el).paddingLeft) + parseFloat(getComputedStyle(el).paddingRight);
        return [el.clientWidth - padding, ctx.measureText(el.placeholder).width + spacing * el.placeholder.length];
    }""")
    assert needed <= room, (needed, room)


def test_a_short_code_typed_in_hangul_input_mode_is_read_as_the_latin_keys(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    page.locator("#manual-code").fill("".join(JAMO.get(ch, ch) for ch in ticket["short_code"].lower()))
    page.locator("#manual-code").press("Enter")
    expect_answer(page, "admitted", offline=False)


def test_a_handheld_scanner_in_hangul_input_mode_still_reads_the_ticket(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    # With the Korean IME on, keys arrive as jamo or "Process"; only the physical key (code) is right.
    page.evaluate("""(text) => {
        const JAMO = {t: "ㅅ", a: "ㅁ", q: "ㅂ"};
        const codeOf = (ch) => /[a-z]/i.test(ch) ? "Key" + ch.toUpperCase() : /[0-9]/.test(ch) ? "Digit" + ch
            : {".": "Period", "-": "Minus", "_": "Minus"}[ch];
        for (const ch of text + "\\n") {
            const init = ch === "\\n" ? {key: "Enter", code: "Enter"}
                : {key: JAMO[ch.toLowerCase()] || "Process", code: codeOf(ch),
                   shiftKey: /[A-Z_]/.test(ch)};
            document.body.dispatchEvent(new KeyboardEvent("keydown", {...init, bubbles: true, cancelable: true}));
        }
    }""", ticket["qr"])
    expect_answer(page, "admitted", offline=False)


def test_the_session_card_counts_admissions_live(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    door = clients(scan_hub.client("scanner", "door-9"))
    ticket = book(kiosk, scan_hub.slots["now"], party=4)
    page = open_scanner(phone, scan_hub)
    counts = page.locator('#session-counts [lang="en"]')
    expect(counts).to_have_text("0 in · 4 booked · 20 places", timeout=STEP_MS)
    answer = door.call("check_in", {"scan_id": str(uuid.uuid4()), "code": ticket["qr"], "booth": BOOTH})
    assert answer["scan"]["admitted"], answer
    expect(counts).to_have_text("4 in · 4 booked · 20 places", timeout=STEP_MS)


def test_a_revoked_scanner_goes_back_to_the_pairing_screen(scan_hub, phone):
    page = open_scanner(phone, scan_hub)
    revoke(scan_hub, "door-1")
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    expect(page.locator("#pair-revoked")).to_be_visible()
    assert page.evaluate("localStorage.getItem('hall.token.scanner')") is None


def test_a_scanned_text_is_never_taken_as_markup(scan_hub, phone):
    page = open_scanner(phone, scan_hub)
    scan(page, "<img src=x onerror=window.pwned=1>")
    expect_answer(page, "invalid")
    assert page.evaluate("window.pwned") is None
    assert page.locator("img").count() == 0


def test_unpairing_asks_first_then_returns_to_the_pairing_screen(scan_hub, phone):
    page = open_scanner(phone, scan_hub)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("#unpair").click()
    expect(page.locator("#pair-screen")).to_be_visible(timeout=STEP_MS)
    assert "Unpair this scanner?" in asked[0] and "연결을 해제할까요" in asked[0]
    assert page.evaluate("[localStorage.getItem('hall.token.scanner'), localStorage.getItem('scan.booth')]") == [None, None]
