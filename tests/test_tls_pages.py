"""The till over HTTPS on a hall name, with the hall CA trusted in chromium's certificate store (NSS, as a
device's operator does once): the service worker registers on that origin and the till sells offline across a
reload. Nothing here tells chromium to ignore certificate errors."""
import subprocess
import types

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, running_till_hub
from tests.test_pos_offline import go_offline, ready_for_offline
from tests.test_pos_support import PEN, TILLS, next_customer, open_till, pay_cash, query, scan

NAME = "hall.test"


@pytest.fixture
def lan_till_hub(tmp_path, catalog_csv):
    with running_till_hub(tmp_path, catalog_csv, TILLS, lan_name=NAME) as process:
        yield process


def trusting_home(tmp_path, ca_cert) -> str:
    """A HOME whose NSS database (where chromium on Linux keeps the certificates a user trusts) trusts the hall
    CA for websites, added with certutil as docs/network.md tells an operator."""
    nssdb = tmp_path / "home" / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run(["certutil", "-N", "-d", f"sql:{nssdb}", "--empty-password"], check=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{nssdb}", "-n", "Expo Sales Hall CA", "-t", "C,,",
                    "-i", str(ca_cert)], check=True)
    return str(tmp_path / "home")


@pytest.fixture
def trusting_context(tmp_path, lan_till_hub, playwright_session):
    home = trusting_home(tmp_path, lan_till_hub.ca_cert)
    browser = playwright_session.chromium.launch(
        executable_path=CHROMIUM, env={"HOME": home},
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"])
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ko-KR",
                                  timezone_id="Asia/Seoul")
    yield context
    context.close()
    browser.close()


def test_the_till_works_offline_over_https_on_the_halls_name(lan_till_hub, trusting_context):
    origin = f"https://{NAME}:{lan_till_hub.port}"
    hub_by_name = types.SimpleNamespace(url=origin, pairing_code=lan_till_hub.pairing_code)
    page = open_till(trusting_context, hub_by_name)
    assert page.url.startswith(origin + "/pos/")
    assert page.evaluate("window.isSecureContext && typeof crypto.randomUUID === 'function'")
    ready_for_offline(page)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == origin + "/pos/sw.js"

    go_offline(page, lan_till_hub)
    page.reload()  # the hub is down: the service worker serves the page, on the HTTPS origin
    expect(page.locator("#sell-screen")).to_be_visible()
    scan(page, PEN)
    pay_cash(page)
    expect(page.locator("#done-title")).to_contain_text("saved on this till")
    next_customer(page)
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "1")

    lan_till_hub.start()
    expect(page.locator("#pending-pill")).to_have_attribute("data-count", "0", timeout=20000)
    assert query(lan_till_hub, "SELECT count(*) FROM sales WHERE offline_at IS NOT NULL") == [(1,)]


def test_without_the_hall_ca_chromium_refuses_the_hub(lan_till_hub, browser):
    """The other half of the proof: the same browser without the CA in its store gets no page."""
    context = browser.new_context()
    page = context.new_page()
    try:
        with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
            page.goto(f"https://localhost:{lan_till_hub.port}/pos/")
    finally:
        context.close()
