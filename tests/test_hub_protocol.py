"""The Socket.IO contract against a real hub on loopback."""
import threading
import uuid

import pytest
import requests as http
import socketio



def sale(sku="PEN", qty=1, amount=1100, **extra):
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
            "payments": [{"method": "cash", "amount": amount}], **extra}


@pytest.mark.parametrize("auth", [None, {}, {"token": ""}, {"token": "made-up-token-of-enough-length"}, "token"])
def test_a_connection_without_a_valid_token_is_refused(hub, auth):
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(hub.url, auth=auth, transports=["websocket"], wait_timeout=5)


def test_catalog_lists_every_product_with_live_availability(hub, clients):
    kiosk = clients(hub.client("kiosk"))
    answer = kiosk.call("catalog", {})
    assert answer["ok"] is True and answer["seq"] >= 1
    products = {p["sku"]: p for p in answer["products"]}
    assert set(products) == {"ROBOT", "RICE", "LAST", "PEN", "GONE"}
    assert {"sku", "name", "name_en", "firm", "category", "price", "available", "barcode",
            "tax_free"} <= set(products["ROBOT"])
    assert products["GONE"]["available"] == 0


ROLE_MATRIX = [
    ("kiosk", "checkout", sale()), ("kiosk", "restock", {"sku": "PEN", "qty": 1}),
    ("kiosk", "adjust", {"sku": "PEN", "kind": "count", "qty": 1, "reason": "x"}),
    ("pos", "restock", {"sku": "PEN", "qty": 1}), ("scanner", "hold", {}), ("scanner", "checkout", sale()),
    ("staff", "checkout", sale()), ("staff", "hold", {}), ("kiosk", "hold_lookup", {"code": "AAAAAA"}),
]


@pytest.mark.parametrize("role, command, payload", ROLE_MATRIX)
def test_a_role_may_send_only_its_commands(hub, clients, role, command, payload):
    client = clients(hub.client(role))
    head = client.call("sync", {"since": 0})["seq"]
    answer = client.call(command, payload)
    assert answer == {"ok": False, "error": {"code": "forbidden", "message": answer["error"]["message"]}}
    assert client.call("sync", {"since": 0})["seq"] == head


MALFORMED = [
    ("checkout", None), ("checkout", "sale"), ("checkout", 42), ("checkout", []),
    ("checkout", sale(sale_id="1")), ("checkout", sale(qty=0)), ("checkout", sale(qty=-1)),
    ("checkout", sale(qty="1")), ("checkout", sale(qty=1.5)), ("checkout", sale(amount=-1100)),
    ("checkout", {**sale(), "lines": []}), ("checkout", {**sale(), "payments": [{"method": "iou", "amount": 1}]}),
    ("checkout", {**sale(), "lines": [{"sku": "PEN", "qty": 1}, {"sku": "PEN", "qty": 1}]}),
    ("hold", {"hold_id": "abc", "lines": [{"sku": "PEN", "qty": 1}]}),
    ("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 10**7}]}),
    ("hold", {"hold_id": str(uuid.uuid4()), "lines": {"sku": "PEN"}}),
    ("sync", {"since": -5}), ("sync", {"since": "x"}),
]


@pytest.mark.parametrize("command, payload", MALFORMED)
def test_a_malformed_payload_is_invalid_and_changes_nothing(hub, clients, command, payload):
    pos = clients(hub.client("pos"))
    before = pos.call("catalog", {})
    answer = pos.call(command, payload)
    assert answer["ok"] is False and answer["error"]["code"] == "invalid"
    assert answer["error"]["message"]
    after = pos.call("catalog", {})
    assert after == before


def test_an_unknown_product_is_refused_by_code(hub, clients):
    pos = clients(hub.client("pos"))
    answer = pos.call("checkout", sale(sku="NO-SUCH"))
    assert answer["error"]["code"] == "unknown_product"


def test_a_sale_pushes_stock_to_everyone_but_the_sale_only_to_tills(hub, clients):
    kiosk = clients(hub.client("kiosk"))
    staff = clients(hub.client("staff"))
    pos = clients(hub.client("pos"))
    answer = pos.call("checkout", sale("ROBOT", 2, 110000))
    assert answer["ok"] is True
    assert answer["sale"]["total"] == 110000 and answer["sale"]["vat"] == 10000
    for client in (kiosk, staff, pos):
        changed = client.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["sku"] == "ROBOT")
        assert changed["data"] == {"sku": "ROBOT", "on_hand": 8, "available": 8}
        assert set(changed) == {"seq", "type", "data", "at"}
    staff.wait_for(lambda e: e["type"] == "sale.completed")
    assert not [e for e in kiosk.events if e["type"] == "sale.completed"]


def test_a_kiosk_hold_is_paid_at_the_counter(hub, clients):
    kiosk = clients(hub.client("kiosk"))
    pos = clients(hub.client("pos"))
    placed = kiosk.call("hold", {"hold_id": str(uuid.uuid4()), "lines": [{"sku": "LAST", "qty": 2}]})
    assert placed["ok"] is True
    code = placed["hold"]["code"]
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"]["available"] == 1)
    looked_up = pos.call("hold_lookup", {"code": f"HOLD:{code}"})
    assert looked_up["hold"]["status"] == "active" and looked_up["hold"]["total"] == 198000
    paid = pos.call("checkout", sale("LAST", 2, 198000, hold_code=code))
    assert paid["ok"] is True
    assert {p["sku"]: p["available"] for p in kiosk.call("catalog")["products"]}["LAST"] == 1


def test_out_of_stock_names_the_short_lines(hub, clients):
    kiosk = clients(hub.client("kiosk"))
    answer = kiosk.call("hold", {"hold_id": str(uuid.uuid4()),
                                 "lines": [{"sku": "LAST", "qty": 4}, {"sku": "PEN", "qty": 1}]})
    assert answer["error"]["code"] == "out_of_stock"
    assert answer["error"]["lines"] == [{"sku": "LAST", "requested": 4, "available": 3}]


def test_restock_by_staff_reaches_the_kiosk(hub, clients):
    kiosk = clients(hub.client("kiosk"))
    staff = clients(hub.client("staff"))
    assert staff.call("restock", {"sku": "GONE", "qty": 12, "reason": "delivery"}) == {
        "ok": True, "sku": "GONE", "on_hand": 12, "available": 12}
    kiosk.wait_for(lambda e: e["type"] == "stock.changed" and e["data"] == {
        "sku": "GONE", "on_hand": 12, "available": 12})


def test_health_and_products_over_http(hub):
    health = http.get(hub.url + "/api/health", timeout=5).json()
    assert health["status"] == "ok"
    listed = http.get(hub.url + "/api/products", params={"search": "드론"}, timeout=5).json()
    assert [p["sku"] for p in listed["products"]] == ["LAST"]
    assert listed["seq"] == health["seq"]
    by_firm = http.get(hub.url + "/api/products", params={"firm": "Hanbit Robotics"}, timeout=5).json()
    assert {p["sku"] for p in by_firm["products"]} == {"ROBOT", "GONE"}


@pytest.mark.parametrize("page", ["/", "/kiosk", "/pos", "/staff", "/scan"])
def test_the_pages_are_served_by_the_hub(hub, page):
    response = http.get(hub.url + page, timeout=5)
    assert response.status_code == 200 and "<html" in response.text


def test_screens_read_the_halls_settings(hub):
    settings = http.get(hub.url + "/api/screen-settings", timeout=5).json()
    assert settings["hall"]["name"] == "테스트 판매관"
    assert settings["kiosk"]["idle_seconds"] == 90 and settings["hold_minutes"] == 15


def test_a_screen_url_without_its_slash_keeps_its_query(hub):
    answer = http.get(hub.url + "/kiosk?idle=3&warn=2", allow_redirects=False, timeout=5)
    assert answer.status_code == 308 and answer.headers["Location"].endswith("/kiosk/?idle=3&warn=2")


def test_an_unknown_command_is_answered_at_once(hub, clients):
    pos = clients(hub.client("pos"))
    answer = pos.call("chekout", sale(), timeout=5)  # a screen's own timeout is 8 s and more
    assert answer["ok"] is False
    assert answer["error"]["code"] == "unknown_command" and answer["error"]["command"] == "chekout"
    assert pos.call("catalog", {})["ok"]  # the link goes on


def raw_call(client, frame_after_id: str, timeout: float = 5) -> dict:
    """Send an event frame as written (after its ack id) and wait for the hub's acknowledgement."""
    answered = threading.Event()
    answers = []

    def on_ack(*data):
        answers.append(data)
        answered.set()
    ack_id = client.sio._generate_ack_id("/", on_ack)
    client.sio.eio.send(f"2{ack_id}{frame_after_id}")
    assert answered.wait(timeout), f"no acknowledgement for {frame_after_id!r}"
    return answers[0][0]


@pytest.mark.parametrize("frame", [
    '["catalog", {"since": ',          # cut short: not JSON
    "[]",                              # no command name
    "[42, {}]",                        # a name that is not a string
    '[{"name": "catalog"}, {}]',       # nor hashable
    '{"command": "catalog"}',          # not a list
    '["catalog", {}, "and more"]',     # two payloads
])
def test_a_malformed_frame_is_answered_malformed_and_the_link_goes_on(hub, clients, frame):
    pos = clients(hub.client("pos"))
    answer = raw_call(pos, frame)
    assert answer["ok"] is False and answer["error"]["code"] == "malformed", answer
    assert answer["error"]["message"]
    assert raw_call(pos, '["nope"]')["error"]["code"] == "unknown_command"
    assert pos.call("catalog", {})["ok"]
