"""Calling staff from a kiosk (직원 호출): the rule on a fresh hall file, then a real hub with a real kiosk and
a real staff client: the call raises a `help` alert naming the kiosk and its place, and the staff's
acknowledgement reaches that kiosk."""
import uuid
from datetime import timedelta
from pathlib import Path

import json

import pytest
from playwright.sync_api import expect

from hub.errors import HallError
from hub.rules import alerts, help_calls
from tests.conftest import NOON, hall_config
from tests.hubproc import HubProcess
from tests.test_kiosk_a11y_voice import RECORD_SPEECH, said
from tests.test_kiosk_support import STEP_MS

ROOT = Path(__file__).resolve().parent.parent
PLACE = {"name": "키오스크 1", "name_en": "Kiosk 1"}
KIOSK_WORDS = {lang: json.loads((ROOT / "kiosk" / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
               for lang in ("ko", "en")}


def call(store, device="kiosk-1", *, call_id=None, lang="ko", now=NOON):
    request = {"call_id": call_id or str(uuid.uuid4()), "lang": lang}
    return store.run(help_calls.call, request, device=device, place=PLACE, now=now)


def test_a_call_raises_one_help_alert_with_the_kiosk_and_its_place(store):
    result, rows = call(store)
    assert result["status"] == "raised"
    [raised] = [row for row in rows if row["type"] == "alert.raised"]
    assert raised["data"]["kind"] == "help" and raised["data"]["subject"] == "kiosk-1"
    assert raised["data"]["data"] == {"device": "kiosk-1", "place": PLACE, "lang": "ko"}
    assert [a["alert_id"] for a in alerts.listing(store.read_db, open_only=True)] == [result["alert_id"]]


def test_pressing_again_while_staff_are_coming_answers_with_the_same_call(store):
    first, _ = call(store)
    again, rows = call(store, now=NOON + timedelta(seconds=5))
    assert again == {**first, "status": "waiting"} and rows == []
    assert len(alerts.listing(store.read_db, open_only=True)) == 1


def test_a_repeated_call_id_is_answered_as_the_first_time(store):
    call_id = str(uuid.uuid4())
    first, _ = call(store, call_id=call_id)
    again, rows = call(store, call_id=call_id, now=NOON + timedelta(seconds=1))
    assert again == first and rows == []


def test_a_new_call_soon_after_an_answered_one_is_refused_with_when_to_try(store):
    first, _ = call(store)
    store.run(alerts.acknowledge, first["alert_id"], by="tester@staff-1", now=NOON + timedelta(seconds=10))
    with pytest.raises(HallError) as refused:
        call(store, now=NOON + timedelta(seconds=20))
    assert refused.value.code == "call_too_soon" and refused.value.details == {"retry_after": 40}
    later, _ = call(store, now=NOON + timedelta(seconds=help_calls.MIN_GAP_SECONDS))
    assert later["status"] == "raised" and later["alert_id"] != first["alert_id"]


def test_each_kiosk_has_its_own_limit(store):
    call(store, "kiosk-1")
    other, _ = call(store, "kiosk-2", now=NOON + timedelta(seconds=1))
    assert other["status"] == "raised"


def test_acknowledging_a_call_tells_the_kiosk_and_other_alerts_tell_no_kiosk(store):
    result, _ = call(store)
    _, rows = store.run(alerts.acknowledge, result["alert_id"], by="tester@staff-1", now=NOON)
    told = [row for row in rows if row["type"] == "help.acknowledged"]
    assert [row["data"] for row in told] == [{"alert_id": result["alert_id"], "device": "kiosk-1",
                                              "at": NOON.isoformat(timespec="milliseconds")}]
    assert told[0]["audience"] == frozenset({"kiosk"})
    raised, _ = store.run(alerts.raise_alert, "printer", "p1", "printer p1: offline", {}, now=NOON)
    _, rows = store.run(alerts.acknowledge, raised["alert"]["alert_id"], by="x", now=NOON)
    assert [row["type"] for row in rows] == ["alert.acked"]


def test_the_hall_plan_names_where_a_kiosk_stands():
    from hub.rules import hall_plan
    plan = hall_plan.drawing(hall_plan.parse_plan((ROOT / "config" / "hall-plan.json").read_text(encoding="utf-8")))
    assert help_calls.place_of(plan, "kiosk-1") == {"name": "키오스크 1", "name_en": "Kiosk 1"}
    assert help_calls.place_of(plan, "kiosk-9") is None
    assert help_calls.place_of(None, "kiosk-1") is None


@pytest.fixture
def planned_hub(tmp_path, catalog_csv):
    plan = f'\n[hall_plan]\nfile = "{(ROOT / "config" / "hall-plan.json").as_posix()}"\n'
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=plan)).start()
    yield process
    process.stop()


def test_a_kiosk_call_reaches_staff_and_the_acknowledgement_reaches_that_kiosk(planned_hub, clients):
    staff = clients(planned_hub.client("staff", "staff-1"))
    kiosk = clients(planned_hub.client("kiosk", "kiosk-1"))
    other = clients(planned_hub.client("kiosk", "kiosk-2"))
    answer = kiosk.call("call_staff", {"call_id": str(uuid.uuid4()), "lang": "en"})
    assert answer["ok"] and answer["status"] == "raised"
    raised = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "help")
    assert raised["data"]["data"]["place"] == {"name": "키오스크 1", "name_en": "Kiosk 1"}
    assert raised["data"]["data"]["lang"] == "en"
    assert not any(e["type"] == "alert.raised" for e in kiosk.events)  # visitors never see the staff's alerts
    assert staff.call("alert_ack", {"alert_id": answer["alert_id"]})["ok"]
    told = kiosk.wait_for(lambda e: e["type"] == "help.acknowledged")
    assert told["data"]["device"] == "kiosk-1" and told["data"]["alert_id"] == answer["alert_id"]
    assert "by" not in told["data"]
    # Every kiosk hears it (rooms are by role); the event names the one it is for.
    assert other.wait_for(lambda e: e["type"] == "help.acknowledged")["data"]["device"] == "kiosk-1"
    again = kiosk.call("call_staff", {"call_id": str(uuid.uuid4())})
    assert again["error"]["code"] == "call_too_soon" and 1 <= again["error"]["retry_after"] <= 60


@pytest.mark.parametrize("payload, field", [
    ({}, "call_id"), ({"call_id": "nope"}, "call_id"), ({"call_id": str(uuid.uuid4()), "lang": "fr"}, "lang"),
    ([], "payload"),
])
def test_a_bad_call_is_refused_naming_the_field_and_raises_nothing(planned_hub, clients, payload, field):
    kiosk = clients(planned_hub.client("kiosk", "kiosk-1"))
    answer = kiosk.call("call_staff", payload)
    assert answer["error"]["code"] == "invalid" and answer["error"]["field"] == field
    staff = clients(planned_hub.client("staff", "staff-1"))
    assert staff.call("alerts", {"open_only": True})["alerts"] == []


def test_only_a_kiosk_may_call_staff(planned_hub, clients):
    pos = clients(planned_hub.client("pos", "pos-1"))
    assert pos.call("call_staff", {"call_id": str(uuid.uuid4())})["error"]["code"] == "forbidden"


# ---------------------------------------------------------------- the kiosk page and the staff screen


@pytest.fixture
def planned_kiosk(browser, tmp_path, catalog_csv):
    """kiosk-1 on the hall plan, at its real size."""
    from tests.test_kiosk_support import STATIONS, kiosk_hall_process, paired_kiosk
    plan = f'\n[hall_plan]\nfile = "{(ROOT / "config" / "hall-plan.json").as_posix()}"\n'
    hub = kiosk_hall_process(tmp_path, catalog_csv, extra=plan).start()
    context = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="ko-KR", timezone_id="Asia/Seoul")
    context.add_init_script(RECORD_SPEECH)
    yield paired_kiosk(hub, context)
    context.close()
    hub.stop()


@pytest.mark.parametrize("screen", ["attract", "browse", "plan", "order"])
def test_the_call_button_is_on_every_screen(planned_kiosk, screen):
    page = planned_kiosk.open().wait_live().page
    if screen != "attract":
        planned_kiosk.start()
    if screen == "plan":
        planned_kiosk.card("ROBOT").locator(".card-where").click()
        expect(page.locator("#plan-screen")).to_be_visible()
    if screen == "order":
        planned_kiosk.add("PEN").order()
    call = page.locator("#access-call")
    expect(call).to_be_visible()
    expect(call).to_be_enabled()
    assert call.bounding_box()["y"] > 1920 - 120


def test_calling_staff_from_the_kiosk_raises_the_alert_and_the_acknowledgement_shows_on_the_kiosk(planned_kiosk,
                                                                                                    clients):
    staff = clients(planned_kiosk.hub.client("staff", "staff-1"))
    page = planned_kiosk.open().wait_live().start().page
    page.locator("#access-voice").click()
    page.locator("#access-call").click()
    status = page.locator("#help-status")
    expect(status).to_have_text(KIOSK_WORDS["ko"]["help.called"], timeout=STEP_MS)
    said(page, KIOSK_WORDS["ko"]["help.called"])
    raised = staff.wait_for(lambda e: e["type"] == "alert.raised" and e["data"]["kind"] == "help", timeout=10)
    assert raised["data"]["data"] == {"device": "kiosk-1", "place": {"name": "키오스크 1", "name_en": "Kiosk 1"},
                                      "lang": "ko"}
    # Pressed again while staff are on their way: the same call, nothing new on the staff screen.
    page.locator("#access-call").click()
    expect(status).to_have_text(KIOSK_WORDS["ko"]["help.waiting"], timeout=STEP_MS)
    assert staff.call("alerts", {"open_only": True})["alerts"][0]["alert_id"] == raised["data"]["alert_id"]
    assert len(staff.call("alerts", {"open_only": True})["alerts"]) == 1
    assert staff.call("alert_ack", {"alert_id": raised["data"]["alert_id"]})["ok"]
    expect(status).to_have_text(KIOSK_WORDS["ko"]["help.acked"], timeout=STEP_MS)
    expect(status).to_have_attribute("data-state", "acked")
    said(page, KIOSK_WORDS["ko"]["help.acked"])
    # Too soon for another: the kiosk says when it may call again, in its words.
    page.locator("#access-call").click()
    expect(status).to_contain_text("초 뒤에 다시 부를 수 있습니다", timeout=STEP_MS)


def test_a_visitor_waiting_for_staff_is_not_sent_back_to_the_start(browser, tmp_path, catalog_csv, clients):
    from tests.test_kiosk_support import kiosk_hall_process, paired_kiosk
    hub = kiosk_hall_process(tmp_path, catalog_csv).start()
    context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    try:
        shop = paired_kiosk(hub, context)
        page = shop.open("?idle=1&warn=1").wait_live().start().add("PEN").page
        page.locator("#access-call").click()
        expect(page.locator("#help-status")).to_have_attribute("data-state", "called", timeout=STEP_MS)
        page.wait_for_timeout(4000)  # twice the idle limit and its warning together
        expect(page.locator("#idle-dialog")).to_be_hidden()
        assert shop.cart_qty("PEN") == 1
    finally:
        context.close()
        hub.stop()


def test_the_staff_screen_names_the_kiosk_its_place_and_the_visitors_language(planned_kiosk, context, clients):
    from tests.test_staff_page import open_staff
    kiosk = clients(planned_kiosk.hub.client("kiosk", "kiosk-1"))
    page = open_staff(planned_kiosk.hub, context, panel="alerts")
    kiosk.call("call_staff", {"call_id": str(uuid.uuid4()), "lang": "en"})
    alert = page.locator('#alert-list li[data-kind="help"]')
    alert.wait_for(timeout=STEP_MS)
    expect(alert).to_contain_text("방문객 호출")
    expect(alert).to_contain_text("키오스크 1(kiosk-1)에서 방문객이 도움을 요청합니다 · 영어로 안내")
    alert.locator('button[data-do="ack"]').click()
    kiosk.wait_for(lambda e: e["type"] == "help.acknowledged", timeout=10)
