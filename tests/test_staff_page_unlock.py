"""A cashier locked at a till by wrong PINs: staff see who and where, and lift the lock from the alert."""
from tests.hubproc import TEST_CASHIER, TEST_PIN
from tests.test_staff_page import WAIT_MS, no_errors, open_staff


def test_staff_lift_a_cashiers_lock_at_the_till_from_its_alert(hub, context, clients):
    till = clients(hub.client("pos", "pos-1", sign_in=False))
    hub.add_cashier(TEST_CASHIER, TEST_PIN)
    codes = [till.call("login", {"cashier_id": TEST_CASHIER, "pin": "0000"})["error"]["code"] for _ in range(5)]
    assert codes == ["wrong_pin"] * 4 + ["locked"]
    page = open_staff(hub, context, panel="alerts")
    alert = page.locator('#alert-list li[data-kind="sign_in_locked"]')
    alert.wait_for(timeout=WAIT_MS)
    assert TEST_CASHIER in alert.text_content() and "pos-1" in alert.text_content()
    alert.locator('button[data-do="unlock"]').click()
    page.wait_for_selector('#alert-list li[data-kind="sign_in_locked"] button[data-do="unlock"]', state="detached",
                           timeout=WAIT_MS)
    assert till.call("login", {"cashier_id": TEST_CASHIER, "pin": TEST_PIN})["ok"] is True
    no_errors(page)
