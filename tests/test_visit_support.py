"""Fixtures and a page helper for the visitor's phone tests (no tests here).

A real hub with the test catalog, the demo hall plan and one demo session in ten minutes; a phone is a
chromium context at 390x844 in Korean, which asks the hub for its own anonymous session.
"""
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PROGRAM_HEADER, TEST_CATALOG, hall_config, program_row, show_toml
from tests.hubproc import HubProcess

ROOT = Path(__file__).resolve().parent.parent
SEOUL = ZoneInfo("Asia/Seoul")
PHONE = {"width": 390, "height": 844}
# Every wait in these tests is bounded; a slow machine gets this long per step.
STEP_MS = 10_000
PLAN = f'[hall_plan]\nfile = "{(ROOT / "config" / "hall-plan.json").as_posix()}"\n\n'
CAPACITY = 6


def visit_hall_process(folder: Path, catalog_path: Path, extra: str = "") -> HubProcess:
    """A hub (not started) with the hall plan and one COBOT session at A-103 in ten minutes (`slot_id`)."""
    now = datetime.now(SEOUL)
    soon = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
    demo = "COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,,"
    (folder / "demos.csv").write_text(
        f"{PROGRAM_HEADER}\n{program_row(demo, soon, 30, CAPACITY, now.date())}\n", encoding="utf-8")
    config = hall_config(folder, catalog_path,
                         extra=show_toml(now.date()) + '[demos]\nfile = "demos.csv"\n\n' + PLAN + extra)
    process = HubProcess(folder / "data", config)
    process.slot_id = f"COBOT-{soon:%m%d%H%M}"
    return process


@pytest.fixture
def visit_hub(tmp_path, catalog_csv):
    process = visit_hall_process(tmp_path, catalog_csv).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def shared_visit_hub(tmp_path_factory):
    """One hub for a module of tests that only look (words, layout, accessibility)."""
    folder = tmp_path_factory.mktemp("visit-hall")
    catalog = folder / "catalog.csv"
    catalog.write_text(TEST_CATALOG, encoding="utf-8")
    process = visit_hall_process(folder, catalog).start()
    yield process
    process.stop()


def new_phone_context(browser, lang: str = "ko-KR"):
    return browser.new_context(viewport=PHONE, locale=lang, timezone_id="Asia/Seoul", is_mobile=True,
                               has_touch=True, device_scale_factor=1)


@pytest.fixture
def phone_context(browser):
    opened = new_phone_context(browser)
    yield opened
    opened.close()


def made_by(hub: HubProcess, table: str, visitor: str) -> int:
    """How many rows of `table` (holds, demo_tickets) the hub's record has from this visitor's phone."""
    return hub.scalar(f"SELECT count(*) FROM {table} WHERE device = ?", [visitor])


def visitor_of(page) -> str:
    """The visitor id the phone's session carries."""
    return page.evaluate("JSON.parse(localStorage.getItem('visit.session')).visitor")


def sale(sku: str, qty: int, price: int, hold_code: str | None = None) -> dict:
    payload = {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
               "payments": [{"method": "cash", "amount": price * qty}]}
    if hold_code:
        payload["hold_code"] = hold_code
    return payload


class Phone:
    """The visitor's page, driven the way a visitor drives it."""

    def __init__(self, page: Page, hub: HubProcess):
        self.page = page
        self.hub = hub

    def open(self, where: str = "") -> "Phone":
        self.page.goto(f"{self.hub.url}/visit/{where}")
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true", timeout=STEP_MS)
        return self

    def wait_live(self) -> "Phone":
        expect(self.page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
        return self

    def go(self, path: str) -> "Phone":
        self.page.evaluate("(path) => { location.hash = '#' + path; }", path)
        return self

    def search(self, text: str) -> "Phone":
        self.go("/find")
        self.page.locator("#search").fill(text)
        return self

    def card(self, sku: str):
        return self.page.locator(f'#products .card[data-sku="{sku}"]')

    def shown_skus(self) -> set[str]:
        return set(self.page.eval_on_selector_all("#products .card", "cards => cards.map(c => c.dataset.sku)"))

    def add(self, sku: str, times: int = 1) -> "Phone":
        for _ in range(times):
            self.card(sku).locator(".btn-add").click()
        return self

    def order(self) -> str:
        """Order the cart; the order's code as the phone shows it."""
        self.go("/cart")
        self.page.locator("#order-btn").click()
        expect(self.page.locator("#order-view")).to_be_visible(timeout=STEP_MS)
        expect(self.page.locator("#order-view")).to_have_attribute("data-status", "waiting", timeout=STEP_MS)
        return self.page.locator("#order-code").text_content()


def open_phone(hub: HubProcess, context) -> Phone:
    return Phone(context.new_page(), hub).open().wait_live()
