"""The POS page's shared test pieces (a hub with cashiers and a printer, a signed-in till), and checks of
the page's files that need no browser: every file the service worker must keep, and both languages' strings."""
import json
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import CASHIERS_TOML, running_till_hub
from tests.hubproc import HubProcess

POS = Path(__file__).resolve().parent.parent / "pos"
WAIT_MS = 8000
expect.set_options(timeout=WAIT_MS)

ROBOT = "8801234567893"  # 55,000 won, 10 in stock
RICE = "8801234567800"   # 12,000 won, tax-free, 50
LAST = "8801111111119"   # 99,000 won, 3
PEN = "8802222222220"    # 1,100 won, 500
GONE = "8803333333331"   # 30,000 won, 0

TILLS = CASHIERS_TOML + """
[printers.counter-1]
type = "virtual"

[printers.counter-2]
type = "virtual"

[stations]
pos-1 = "counter-1"
pos-2 = "counter-2"
"""


@pytest.fixture
def till_hub(tmp_path, catalog_csv):
    """A hub with two cashiers (c01 PIN 1234, supervisor s01 PIN 9999) and a virtual printer per till."""
    # A test till signs in c01, as the page tests' cashier does.
    with running_till_hub(tmp_path, catalog_csv, TILLS) as process:
        yield process


def query(hub: HubProcess, sql: str, params=()) -> list[tuple]:
    store = hub.read_store()
    try:
        return store.read_db.execute(sql, params).fetchall()
    finally:
        store.close()


def stock(hub: HubProcess, sku: str) -> tuple[int, int]:
    """(on_hand, available) as the hub holds them."""
    return query(hub, "SELECT on_hand, on_hand - held FROM products WHERE sku = ?", [sku])[0]


def pair(page: Page, hub: HubProcess, name: str = "pos-1") -> None:
    page.goto(hub.url + "/pos/")
    page.fill("#pair-code", hub.pairing_code("pos", name))
    page.click("#pair-form [type=submit]")
    expect(page.locator("#signin-screen")).to_be_visible()


def sign_in(page: Page, cashier: str = "c01", pin: str = "1234") -> None:
    page.click(f".cashier[data-cashier-id={cashier}]")
    page.fill("#pin-input", pin)
    page.keyboard.press("Enter")


def open_till(context, hub: HubProcess, name: str = "pos-1", float_won: int = 50000) -> Page:
    """Pair a new page as `name`, sign c01 in, open a shift: the page is ready to sell."""
    page = context.new_page()
    pair(page, hub, name)
    sign_in(page)
    expect(page.locator("#shift-screen")).to_be_visible()
    page.fill("#float-input", str(float_won))
    page.keyboard.press("Enter")
    expect(page.locator("#sell-screen")).to_be_visible()
    expect(page.locator("#link-pill")).to_have_attribute("data-state", "online")
    return page


def scan(page: Page, code: str) -> None:
    """What a scanner does: type fast and press Enter, with focus in no field."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def pay_cash(page: Page, *bills: str, no_cash_receipt: bool = False) -> None:
    """Open payment, tap quick bills (or "exact"), complete."""
    page.keyboard.press("F9")
    expect(page.locator("#pay-dlg")).to_be_visible()
    for bill in bills or ("exact",):
        page.click(f"#pay-dlg [data-add='{bill}']")
    if no_cash_receipt:  # asked from 100,000 won in cash
        page.click("#pay-dlg .chip[data-kind=none]")
    page.click("#pay-complete")


def next_customer(page: Page) -> None:
    page.click("#done-next")
    expect(page.locator("#done-dlg")).to_be_hidden()


def staff_client(hub: HubProcess, clients):
    """A staff screen with a person signed in (restocks, corrections and resolutions need one)."""
    return clients(hub.client("staff", "staff-1"))


def kiosk_hold(hub: HubProcess, clients, lines: list[dict]) -> str:
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    answer = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": lines})
    assert answer["ok"], answer
    return answer["hold"]["code"]


# ---------------------------------------------------------------- the page's files, without a browser

# A language may add plural forms of a key (Intl.PluralRules' categories): English has "key_one" beside "key".
PLURAL_FORM = re.compile(r"_(zero|one|two|few|many)$")


def test_both_languages_have_the_same_strings_and_every_key_the_page_uses():
    ko = json.loads((POS / "i18n" / "ko.json").read_text(encoding="utf-8"))
    en = json.loads((POS / "i18n" / "en.json").read_text(encoding="utf-8"))
    base = {lang: {key for key in words if not PLURAL_FORM.search(key)} for lang, words in (("ko", ko), ("en", en))}
    assert base["ko"] == base["en"]
    for words in (ko, en):
        assert {PLURAL_FORM.sub("", key) for key in words} == base["ko"], "a plural form without its key"
    used = set()
    for source in [*POS.glob("*.js"), POS / "index.html"]:
        text = source.read_text(encoding="utf-8")
        used |= set(re.findall(r'\b(?:t|both|bothBy|tCount|bothCount|tCountIn\(\w+,)\s*\(?"([a-z_]+\.[a-z_0-9]+)"', text))
        used |= set(re.findall(r'data-(?:i18n|both|i18n-placeholder|i18n-label)="([^"]+)"', text))
    assert used and used <= base["ko"], f"missing strings: {sorted(used - base['ko'])}"
    for words in (ko, en):
        for key, text in words.items():
            other = ko.get(PLURAL_FORM.sub("", key))
            assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", other)), key


def test_counts_are_written_by_plural_rules_not_by_a_hedge():
    for lang in ("ko", "en"):
        text = (POS / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
        assert "(s)" not in text and "(es)" not in text, lang


def test_catalog_text_reaches_the_page_only_as_text():
    for source in POS.glob("*.js"):
        text = source.read_text(encoding="utf-8")
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, source.name
