"""Fixtures and a page helper for the kiosk's browser tests (no tests here).

A hub with the test catalog, a virtual printer and the kiosk-1 station, and a kiosk page already
paired with a token (the pairing screen has its own tests).
"""
import json
import re
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from hub.rules import devices
from hub.store import Store
from tests.conftest import PROGRAM_HEADER, TEST_CATALOG, hall_config, program_row, show_toml
from tests.hubproc import HubProcess

SEOUL = ZoneInfo("Asia/Seoul")
STATIONS = ('[printers.kiosk-1]\ntype = "virtual"\ncolumns = 48\n\n'
            '[printers.counter-1]\ntype = "virtual"\ncolumns = 48\n\n'
            '[stations]\nkiosk-1 = "kiosk-1"\npos-1 = "counter-1"\n')
# Every wait in these tests is bounded; a slow machine gets this long per step.
STEP_MS = 10_000


def kiosk_hall_process(tmp_path, catalog_path, hold_seconds: int = 900, extra: str = "") -> HubProcess:
    config = hall_config(tmp_path, catalog_path, hold_seconds=hold_seconds, extra=STATIONS + extra)
    return HubProcess(tmp_path / "data", config)


def demo_program_process(tmp_path, catalog_path, sessions, extra: str = "") -> HubProcess:
    """A kiosk hall (not started) whose demo program is `sessions`:
    (demo_id, name, name_en, firm, booth, starts_at as an aware datetime, minutes, capacity) each.
    The show starts today, so each session is written as the show's day and time."""
    today = datetime.now(SEOUL).date()
    rows = "".join(program_row(f"{demo},{name},{name_en},{firm},{booth},,", starts, minutes, capacity, today) + "\n"
                   for demo, name, name_en, firm, booth, starts, minutes, capacity in sessions)
    (tmp_path / "demos.csv").write_text(PROGRAM_HEADER + "\n" + rows, encoding="utf-8")
    return kiosk_hall_process(tmp_path, catalog_path,
                              extra="\n" + show_toml(today) + '[demos]\nfile = "demos.csv"\n' + extra)


@pytest.fixture
def kiosk_hub(tmp_path, catalog_csv):
    """A hub whose kiosk-1 prints order slips on a virtual printer."""
    process = kiosk_hall_process(tmp_path, catalog_csv).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def shared_kiosk_hub(tmp_path_factory):
    """One such hub for a whole module of tests that only look (search, layout, accessibility)."""
    folder = tmp_path_factory.mktemp("kiosk-hall")
    catalog = folder / "catalog.csv"
    catalog.write_text(TEST_CATALOG, encoding="utf-8")
    process = kiosk_hall_process(folder, catalog).start()
    yield process
    process.stop()


def revoke(hub: HubProcess, name: str) -> None:
    store = Store(hub.data_dir / "hall.db")
    try:
        store.run(devices.revoke, name, now=datetime.now(SEOUL))
    finally:
        store.close()


def sale(sku: str, qty: int, price: int) -> dict:
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
            "payments": [{"method": "cash", "amount": price * qty}]}


class Kiosk:
    """The kiosk page, driven the way a visitor drives it."""

    def __init__(self, page: Page, hub: HubProcess):
        self.page = page
        self.hub = hub

    def open(self, query: str = "") -> "Kiosk":
        self.page.goto(f"{self.hub.url}/kiosk/{query}")
        expect(self.page.locator("#attract-screen")).to_be_visible(timeout=STEP_MS)
        return self

    def wait_live(self) -> "Kiosk":
        expect(self.page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
        return self

    def start(self) -> "Kiosk":
        self.page.locator("#attract-start").click()
        expect(self.page.locator("#browse")).to_be_visible()
        expect(self.page.locator("#products .card").first).to_be_visible(timeout=STEP_MS)
        return self

    def search(self, text: str) -> "Kiosk":
        self.page.locator("#search").fill(text)
        return self

    def card(self, sku: str):
        return self.page.locator(f'#products .card[data-sku="{sku}"]:not([hidden])')

    def shown_skus(self) -> set[str]:
        return set(self.page.eval_on_selector_all(
            "#products .card:not([hidden])", "cards => cards.map(c => c.dataset.sku)"))

    def add(self, sku: str, times: int = 1) -> "Kiosk":
        for _ in range(times):
            self.card(sku).locator(".btn-add").click()
        return self

    def cart_qty(self, sku: str) -> int | None:
        line = self.page.locator(f'#cart-lines .cart-line[data-sku="{sku}"]')
        if line.count() == 0:
            return None
        return int(line.locator(".qty-value").text_content())

    def order(self) -> str:
        """Place the order; returns the hold code shown."""
        self.page.locator("#order-btn").click()
        expect(self.page.locator("#order-screen")).to_be_visible(timeout=STEP_MS)
        code = self.page.locator("#order-code").text_content()
        assert re.fullmatch(r"[A-Z0-9]{6}", code), code
        return code


def paired_kiosk(hub: HubProcess, context) -> Kiosk:
    """A kiosk page for kiosk-1 in `context`, paired (its token in storage, as pairing leaves it)."""
    token = hub.token("kiosk", "kiosk-1")
    context.add_init_script(
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem('hall.token.kiosk', {json.dumps(token)});"
        f" localStorage.setItem('hall.token.kiosk.name', 'kiosk-1'); }}")
    return Kiosk(context.new_page(), hub)


@pytest.fixture
def kiosk(kiosk_hub, context):
    """A paired kiosk page on its own hub (for tests that change stock)."""
    return paired_kiosk(kiosk_hub, context)


@pytest.fixture
def looking_kiosk(shared_kiosk_hub, context):
    """A paired kiosk page on the module's shared hub (for tests that change nothing that matters)."""
    return paired_kiosk(shared_kiosk_hub, context)


def wait_until(check, timeout: float = 10.0, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not true within {timeout}s")
