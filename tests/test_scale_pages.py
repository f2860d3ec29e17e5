"""A screen's page in a hall of several processes, in Debian's chromium: when its own process stays down it moves
on to the next one the hub named (common/hall.js), past the browser's own origin and CSP checks, catches up there
with `sync` and hears what comes next live; when the writer process is down, a staff screen on another process
says so."""
from types import SimpleNamespace

from playwright.sync_api import expect

from tests.test_kiosk_support import STEP_MS, paired_kiosk
from tests.test_staff_page import open_staff

# A few failed reconnects (socket.io's back-off, up to 3 s apart) before the page moves on, then its sync.
MOVE_ON_MS = 30_000


def test_a_kiosk_page_whose_process_stays_down_moves_on_and_catches_up(cluster, context, clients):
    said: list[str] = []
    on_1 = SimpleNamespace(url=cluster.url(1), token=cluster.token)  # the page is served by process 1
    shop = paired_kiosk(on_1, context)
    shop.page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    shop.open().wait_live().start()
    staff = clients(cluster.client("staff", "staff-0", process=0))
    stock = shop.card("GONE").locator(".card-stock")
    assert staff.call("restock", {"sku": "GONE", "qty": 4})["ok"]
    expect(stock).to_have_attribute("data-available", "4", timeout=STEP_MS)

    with cluster.hold_restarts():  # process 1 stays down: the page must go elsewhere to hear anything
        cluster.kill(1)
        expect(shop.page.locator("#link-status")).not_to_have_attribute("data-state", "online", timeout=STEP_MS)
        assert staff.call("restock", {"sku": "GONE", "qty": 3})["ok"]
        try:
            expect(stock).to_have_attribute("data-available", "7", timeout=MOVE_ON_MS)
            expect(shop.page.locator("#link-status")).to_have_attribute("data-state", "online", timeout=STEP_MS)
        except AssertionError as stuck:
            raise AssertionError(f"{stuck}\nthe page said: {said[-8:]}") from None
        assert staff.call("restock", {"sku": "GONE", "qty": 1})["ok"]
        expect(stock).to_have_attribute("data-available", "8", timeout=STEP_MS)  # live on process 0


def test_a_staff_screen_on_a_serving_process_says_when_the_writer_is_unreachable(cluster, context):
    """Its own process is up and answers, but nothing can be recorded: staff must read that on the screen, in
    the screen's words, from the process they are on (the writer, which pushes health otherwise, is down)."""
    on_1 = SimpleNamespace(url=cluster.url(1), pairing_code=cluster.pairing_code, add_staff=cluster.add_staff)
    page = open_staff(on_1, context)
    banner = page.locator("#health-banner")
    expect(banner).to_be_hidden()
    with cluster.hold_restarts():
        cluster.kill(0)
        expect(banner).to_be_visible(timeout=MOVE_ON_MS)
        expect(banner).to_contain_text("기록 담당 프로세스가 답하지 않습니다")
        assert "writer" not in banner.text_content()  # the Korean screen shows no English
    expect(banner).to_be_hidden(timeout=MOVE_ON_MS)  # the writer back, the word goes
