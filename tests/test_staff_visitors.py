"""The staff screen's Visitors' phones panel in a real browser against a real hub: a visitor's order is marked as
made on a phone, and revoking the visitor's session drops the phone, releases its order and keeps it out."""
import re
import uuid

import pytest
import requests as http
import socketio

from tests.hubproc import Client
from tests.pages import axe_violations, wait_until
from tests.test_staff_page import WAIT_MS, no_errors, open_staff


def visitor(hub) -> tuple[str, Client]:
    """A phone's first visit: an anonymous session from the hub, then its socket with the token."""
    answer = http.post(hub.url + "/api/visit/session", json={}, timeout=10).json()
    assert answer["ok"] and re.fullmatch(r"v-[0-9a-z]{10}", answer["visitor"]), answer
    return answer["visitor"], Client(hub.url, answer["token"])


def hold(client, sku="PEN", qty=1) -> dict:
    answer = client.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}]})
    assert answer["ok"], answer
    return answer["hold"]


def test_a_visitors_order_is_marked_and_revoking_the_session_drops_the_phone(hub, context, clients):
    page = open_staff(hub, context, panel="visitors")
    wait_until(page, "document.querySelector('#visitors-status').dataset.state === 'note'", timeout=WAIT_MS)
    name, phone = visitor(hub)
    clients(phone)
    kiosk = clients(hub.client("kiosk", "kiosk-1"))
    by_phone, at_kiosk = hold(phone, "PEN", 2), hold(kiosk, "RICE")

    mine = page.locator(f'#visitor-feed li[data-id="{by_phone["hold_id"]}"]')
    mine.wait_for(timeout=WAIT_MS)
    assert mine.get_attribute("data-made") == "phone"
    assert mine.locator(".tag.phone").text_content() == "방문객 휴대폰"
    assert by_phone["code"] in mine.text_content() and name in mine.text_content()
    theirs = page.locator(f'#visitor-feed li[data-id="{at_kiosk["hold_id"]}"]')
    assert theirs.get_attribute("data-made") == "screen" and theirs.locator(".tag.phone").count() == 0
    assert "kiosk-1에서" in theirs.text_content()

    row = page.locator(f'#visitors-table tr[data-visitor="{name}"]')
    wait_until(page, f"document.querySelector('#visitors-table tr[data-visitor=\"{name}\"] [data-field=orders]')"
                     "?.textContent === '진행 중인 주문 1건'", timeout=WAIT_MS)
    assert axe_violations(page) == []
    row.locator("button[data-revoke]").click()
    body = page.text_content("#confirm-body")
    assert "풀려" in body and "남습니다" in body, body  # says it releases the order and keeps the tickets
    page.click("#confirm-ok")

    # The phone is dropped at once and its token no longer lets it in.
    for _ in range(100):  # five seconds at most
        if not phone.sio.connected:
            break
        page.wait_for_timeout(50)
    assert not phone.sio.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        Client(hub.url, phone.token)
    wait_until(page, f"document.querySelector('#visitor-feed li[data-id=\"{by_phone['hold_id']}\"]')"
                     "?.dataset.state === 'released'", timeout=WAIT_MS)
    wait_until(page, f"document.querySelector('#visitors-table tr[data-visitor=\"{name}\"]')?.dataset.state"
                     " === 'revoked'", timeout=WAIT_MS)
    assert row.locator("button[data-revoke]").count() == 0
    assert theirs.get_attribute("data-state") == "waiting"  # the kiosk's order is not the phone's

    page.click("#app .lang-btn")
    wait_until(page, "document.documentElement.lang === 'en'")
    assert mine.locator(".tag.phone").text_content() == "visitor's phone"
    assert "Revoked" in row.text_content() and "1 open order" not in row.text_content()
    no_errors(page)
