"""A device joins by one scan: the pairing QR opens the right screen on the hub's address with the code filled in."""
import subprocess
import sys
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.hubproc import ROOT
from tests.pages import wait_until
from tests.test_staff_page import open_staff


@pytest.mark.parametrize("role,screen", [("pos", "pos"), ("scanner", "scan"), ("kiosk", "kiosk"),
                                         ("staff", "staff")])
def test_a_screen_opened_from_the_qr_has_the_code_filled_in_and_pairs(hub, context, role, screen):
    code = hub.pairing_code(role, f"{role}-9")
    page = context.new_page()
    page.goto(f"{hub.url}/{screen}/#pair={code}")
    expect(page.locator("#pair-code")).to_have_value(code)
    # The code is taken out of the address: not bookmarked, not shown again after a reload.
    assert "pair=" not in page.url
    page.locator("#pair-code").press("Enter") if screen != "scan" else page.click("#pair-submit")
    wait_until(page, "Object.keys(localStorage).some((key) => key.startsWith('hall.token.'))", timeout=15000)


def test_the_staff_devices_panel_shows_a_qr_of_the_screens_address_with_the_code(hub, context):
    page = open_staff(hub, context, panel="devices")
    page.select_option("#pairnew-role", "scanner")
    page.fill("#pairnew-name", "door-7")
    page.click("#pairnew-form button[type=submit]")
    page.wait_for_selector("#pairnew-code")
    code = page.text_content("#pairnew-code")
    url = f"{hub.url}/scan/#pair={code}"
    assert page.get_attribute(".pair-qr", "src") == "/api/qr.svg?data=" + quote(url, safe="-_.!~*'()")


def test_run_hall_pair_prints_the_address_the_qr_holds(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), "pair", "--data", str(tmp_path / "data"),
                           "--role", "pos", "--name", "pos-3", "--url", "https://hall.test:8443"],
                          capture_output=True, text=True, timeout=60, check=True)
    code = done.stdout.strip()
    assert f"https://hall.test:8443/pos/#pair={code}\n" in done.stderr


def test_launch_opens_the_screen_in_kiosk_mode_with_its_own_profile(hub, tmp_path):
    """The real chromium, started by `run_hall.py launch`; headless and dumping the page it opened, so the
    test can read what the screen showed."""
    from tests.conftest import CHROMIUM_ARGS
    flags = [f"--browser-flag={flag}" for flag in (*CHROMIUM_ARGS, "--headless", "--dump-dom")]
    done = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), "launch", "pos", "--url", hub.url,
                           "--profile", str(tmp_path / "till-profile"), *flags],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'id="pair-screen"' in done.stdout  # the till's own page, from the hub
    assert (tmp_path / "till-profile" / "Default").is_dir()  # its own profile, kept for the next start


def test_launch_knows_the_hubs_https_address_from_hall_toml(tmp_path, catalog_csv):
    from tests.conftest import hall_config
    config = hall_config(tmp_path, catalog_csv, extra='[server]\nlan = true\nport = 443\nnames = ["hall.local"]\n')
    done = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), "launch", "kiosk", "--config", str(config),
                           "--print"], capture_output=True, text=True, timeout=60, check=True)
    line = done.stdout.split()
    assert line[-1] == "https://hall.local/kiosk/"
    assert "--kiosk" in line and any(flag.endswith("/expo-sales-hall/chromium-kiosk") for flag in line)
