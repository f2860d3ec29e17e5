"""A signed-in staff screen survives a reload: a session token from the hub, kept for the tab, never the
password; and the session ends at sign-out and when the screen's device is revoked."""
from tests.pages import wait_until
from tests.hubproc import Client
from tests.test_staff_page import STAFF, WAIT_MS, no_errors, open_staff, row


def test_the_hub_signs_a_new_connection_in_with_the_session_token_and_only_at_its_device(hub, clients):
    hub.add_staff(*STAFF)
    token = hub.token("staff", "staff-1")
    first = clients(Client(hub.url, token))
    signed = first.call("staff_login", {"name": STAFF[0], "password": STAFF[1]})
    session = signed["session"]
    assert signed["staff"] == {"name": STAFF[0]} and len(session["token"]) >= 40
    first.close()

    again = clients(Client(hub.url, token))  # a reload: a new socket, nobody signed in
    assert again.call("restock", {"sku": "PEN", "qty": 1})["error"]["code"] == "sign_in_required"
    resumed = again.call("staff_resume", {"token": session["token"]})
    assert resumed == {"ok": True, "staff": {"name": STAFF[0]}, "expires_at": session["expires_at"]}
    assert again.call("restock", {"sku": "PEN", "qty": 1})["ok"]
    restocked = again.wait_for(lambda e: e["type"] == "stock.restocked")
    assert restocked["data"]["by"] == f"{STAFF[0]}@staff-1"

    elsewhere = clients(hub.client("staff", "staff-2", sign_in=False))
    refused = elsewhere.call("staff_resume", {"token": session["token"]})
    assert (refused["error"]["code"], refused["error"]["reason"]) == ("session_ended", "unknown")

    assert again.call("staff_logout")["ok"]
    later = clients(Client(hub.url, token))
    refused = later.call("staff_resume", {"token": session["token"]})
    assert (refused["error"]["code"], refused["error"]["reason"]) == ("session_ended", "signed_out")


def test_a_reload_keeps_the_person_signed_in_without_the_password_in_the_page(hub, context):
    page = open_staff(hub, context)
    kept = " ".join(page.evaluate("""() => [sessionStorage, localStorage].flatMap((store) =>
        Object.keys(store).map((key) => `${key}=${store.getItem(key)}`))"""))
    assert STAFF[1] not in kept and "staff.session" in kept

    page.reload()
    page.wait_for_selector("#app:not([hidden])", timeout=WAIT_MS)
    assert page.text_content("#who") == f"{STAFF[0]} @ staff-1"
    wait_until(page, "window.staffApp && window.staffApp.stock.loaded", timeout=WAIT_MS)
    row(page, "PEN").locator("button[data-act=restock]").click()  # a signed-in command works
    page.fill("#stock-qty", "3")
    page.click("#stock-submit")
    wait_until(page, "document.querySelector('.srow[data-sku=\"PEN\"] .c-on_hand').textContent === '503'",
                           timeout=WAIT_MS)

    page.click("#signout-btn")
    page.wait_for_selector("#signin-screen:not([hidden])")
    page.reload()
    page.wait_for_selector("#signin-screen:not([hidden])", timeout=WAIT_MS)
    page.wait_for_timeout(500)  # time enough to be signed in again, if anything still could
    assert page.is_hidden("#app")
    no_errors(page)


def test_a_new_tab_asks_for_the_password(hub, context):
    open_staff(hub, context)
    other = context.new_page()  # same browser and device token, but its own tab: no session
    other.goto(f"{hub.url}/staff/")
    other.wait_for_selector("#signin-screen:not([hidden])", timeout=WAIT_MS)
    wait_until(other, "window.staffApp.link.state === 'online'", timeout=WAIT_MS)
    other.wait_for_timeout(300)
    assert other.is_hidden("#app")


def test_a_session_that_ended_sends_the_screen_to_sign_in_and_says_why(hub, context):
    page = open_staff(hub, context)
    hub.add_staff(STAFF[0], "a brand new password")  # the person's password is set again
    page.reload()
    wait_until(page, "document.querySelector('#signin-notice').textContent.includes('비밀번호가 바뀌어')",
                           timeout=WAIT_MS)
    assert page.is_hidden("#app") and page.input_value("#signin-name") == STAFF[0]
    assert page.evaluate("sessionStorage.getItem('staff.session')") is None


def test_revoking_the_screens_device_ends_its_session(hub, context, clients):
    page = open_staff(hub, context)
    session = page.evaluate("JSON.parse(sessionStorage.getItem('staff.session')).token")
    admin = clients(hub.client("staff", "staff-9"))
    assert admin.call("device_revoke", {"name": "staff-1"})["ok"]
    page.wait_for_selector("#pair-screen:not([hidden])", timeout=WAIT_MS)
    assert page.evaluate("sessionStorage.getItem('staff.session')") is None
    # Paired again under the same name, the old token signs nobody in.
    repaired = clients(Client(hub.url, hub.token("staff", "staff-1")))
    refused = repaired.call("staff_resume", {"token": session})
    assert (refused["error"]["code"], refused["error"]["reason"]) == ("session_ended", "device")
