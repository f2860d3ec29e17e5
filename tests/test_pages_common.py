"""The shared screen library and the vendored client, in a real browser against a real hub."""
import requests as http
from tests.pages import wait_until


def test_the_socket_io_client_is_served_by_the_hub_not_a_cdn(hub):
    answer = http.get(hub.url + "/vendor/socket.io.min.js", timeout=5)
    assert answer.status_code == 200 and "io" in answer.text[:2000]
    assert http.get(hub.url + "/vendor/nothing.js", timeout=5).status_code == 404


def test_a_page_pairs_connects_and_hears_live_stock(hub, context, clients):
    code = hub.pairing_code("kiosk", "kiosk-9")
    page = context.new_page()
    page.goto(hub.url + "/")
    page.add_script_tag(url="/vendor/socket.io.min.js")
    page.evaluate("""async (code) => {
        const { HallLink } = await import('/common/hall.js');
        const link = new HallLink({ role: 'kiosk' });
        window.heard = [];
        await link.pair(code);
        link.addEventListener('stock.changed', (e) => window.heard.push(e.detail.data));
        const ready = new Promise((r) => link.addEventListener('ready', r, { once: true }));
        link.connect();
        await ready;
        window.link = link;
    }""", code)
    staff = clients(hub.client("staff", "staff-1"))
    staff.call("restock", {"sku": "GONE", "qty": 2})
    wait_until(page, "window.heard.some(d => d.sku === 'GONE' && d.available === 2)", timeout=5000)
    assert page.evaluate("localStorage.getItem('hall.token.kiosk').length") > 20


def test_qr_codes_are_drawn_by_the_hub(hub):
    answer = http.get(hub.url + "/api/qr.svg", params={"data": "HOLD:ABCDEF"}, timeout=5)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("image/svg+xml")
    assert http.get(hub.url + "/api/qr.svg", params={"data": "x" * 301}, timeout=5).status_code == 400



def test_a_refused_connection_says_unauthorized_to_the_browser(hub, context):
    page = context.new_page()
    page.goto(hub.url + "/")
    page.add_script_tag(url="/vendor/socket.io.min.js")
    message = page.evaluate("""() => new Promise((resolve) => {
        const socket = io({ auth: { token: 'not-a-token-of-this-hall-at-all' }, transports: ['websocket'],
                            reconnection: false });
        socket.on('connect_error', (err) => resolve(err.message));
    })""")
    assert message == "unauthorized"


def test_a_live_event_during_catch_up_does_not_hide_the_older_ones(hub, context):
    page = context.new_page()
    page.goto(hub.url + "/")
    heard = page.evaluate("""async () => {
        const { HallLink } = await import('/common/hall.js');
        const link = new HallLink({ role: 'kiosk' });
        const heard = [];
        link.addEventListener('hall-event', (e) => heard.push(e.detail.seq));
        // The sync answer (events 3 and 4) is slow; event 5 arrives live meanwhile.
        link.command = () => new Promise((resolve) => setTimeout(
            () => resolve({ ok: true, seq: 4, more: false, events: [{ seq: 3 }, { seq: 4 }] }), 50));
        const done = link.catchUp();
        link._apply({ seq: 5 });
        await done;
        return heard;
    }""")
    assert heard == [3, 4, 5]
