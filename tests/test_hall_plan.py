"""The hall plan: booths drawn from their codes and a small layout file, checked at start like any other
untrusted file, and served to the screens."""
import copy
import csv
import json
from pathlib import Path

import pytest
import requests as http

from hub.errors import HallError
from hub.rules import hall_plan
from tests.conftest import hall_config
from tests.hubproc import HubProcess

ROOT = Path(__file__).resolve().parent.parent
DEMO_PLAN = json.loads((ROOT / "config" / "hall-plan.json").read_text(encoding="utf-8"))

SMALL = {"width": 40, "height": 30, "halls": [
    {"code": "A", "name": "A홀", "name_en": "Hall A", "x": 0, "y": 0, "width": 40, "height": 12, "rows": 2,
     "booths": 12, "cross_aisles": [6]},
    {"code": "B", "name": "B홀", "name_en": "Hall B", "x": 0, "y": 14, "width": 40, "height": 12, "rows": 2,
     "booths": 12}],
    "places": [{"kind": "entrance", "name": "정문", "name_en": "Main entrance", "x": 20, "y": 29},
               {"kind": "kiosk", "name": "키오스크", "name_en": "Kiosk", "x": 10, "y": 28, "device": "kiosk-1"}]}


def drawn(plan: dict) -> dict:
    return hall_plan.drawing(hall_plan.parse_plan(json.dumps(plan)))


def booths_in(path: Path) -> set[str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["booth"] for row in csv.DictReader(handle)}


def test_every_booth_of_the_demo_catalog_and_program_is_on_the_demo_plan():
    booths = set(drawn(DEMO_PLAN)["booths"])
    assert booths_in(ROOT / "config" / "catalog.csv") <= booths
    assert booths_in(ROOT / "config" / "demos.csv") <= booths


def test_a_booth_code_says_hall_row_and_number():
    booths = drawn(SMALL)["booths"]
    assert len(booths) == 2 * 2 * 12 and hall_plan.booth_code("A", 1, 9) == "A-109"
    x, y, width, depth = booths["A-109"]
    # Booth 9 of row 1 of hall A: right of booth 8, in the hall's first row, above row 2.
    assert booths["A-108"][0] + booths["A-108"][2] <= x and booths["A-108"][1] == y
    assert booths["A-209"][0] == x and booths["A-209"][1] >= y + depth
    assert 0 <= x and x + width <= 40 and 0 <= y and y + depth <= 12
    # A cross aisle after booth 6: a gap wider than a booth between 6 and 7, none between 5 and 6.
    gap = booths["A-107"][0] - (booths["A-106"][0] + booths["A-106"][2])
    assert gap > width and booths["A-106"][0] - (booths["A-105"][0] + booths["A-105"][2]) < 0.01
    assert all(14 <= box[1] and box[1] + box[3] <= 26 for code, box in booths.items() if code.startswith("B-"))


def test_the_drawing_keeps_the_places_and_the_halls_names():
    plan = drawn(SMALL)
    assert [h["code"] for h in plan["halls"]] == ["A", "B"]
    assert plan["places"][1] == {"kind": "kiosk", "name": "키오스크", "name_en": "Kiosk", "x": 10.0, "y": 28.0,
                                 "width": 0.0, "height": 0.0, "device": "kiosk-1"}


def broken(change) -> dict:
    plan = copy.deepcopy(SMALL)
    change(plan)
    return plan


@pytest.mark.parametrize("change, where, problem", [
    (lambda p: p.pop("halls"), "halls", "must list 1-26 halls"),
    (lambda p: p.update(width="40"), "width", "must be a number"),
    (lambda p: p.update(height=float("nan")), "height", "must be a number"),
    (lambda p: p.update(colour="red"), "colour", "is not a setting of the plan"),
    (lambda p: p["halls"][0].update(code="a"), "halls[0].code", "capital letters"),
    (lambda p: p["halls"][1].update(code="A"), "halls[1].code", "repeats halls[0]"),
    (lambda p: p["halls"][1].update(y=5), "halls[1]", "overlaps halls[0]"),
    (lambda p: p["halls"][0].update(x=5), "halls[0]", "past the edge"),
    (lambda p: p["halls"][0].update(rows=0), "halls[0].rows", "whole number from 1 to 9"),
    (lambda p: p["halls"][0].update(rows=10), "halls[0].rows", "whole number from 1 to 9"),
    (lambda p: p["halls"][0].update(rows=True), "halls[0].rows", "whole number"),
    (lambda p: p["halls"][0].update(booths=100), "halls[0].booths", "whole number from 1 to 99"),
    (lambda p: p["halls"][0].update(cross_aisles=[6, 3]), "halls[0].cross_aisles", "rising order"),
    (lambda p: p["halls"][0].update(cross_aisles=[12]), "halls[0].cross_aisles", "from 1 to 11"),
    (lambda p: p["halls"][0].update(boths=12), "halls[0].boths", "is not a setting"),
    (lambda p: p["halls"][0].update(name=""), "halls[0].name", "1-60 characters"),
    (lambda p: p["halls"][0].update(name_en="Hall\u0007A"), "halls[0].name_en", "control characters"),
    (lambda p: p["places"][0].update(kind="door"), "places[0].kind", "must be one of"),
    (lambda p: p["places"][0].update(x=-1), "places[0].x", "must be a number from 0"),
    (lambda p: p["places"][0].update(device="kiosk-1"), "places[0].device", "only for a kiosk"),
    (lambda p: p["places"][1].pop("device"), "places[1].device", "device name"),
    (lambda p: p["places"].append(dict(p["places"][1])), "places", "placed twice"),
    (lambda p: p["places"].append("here"), "places[2]", "must be an object"),
])
def test_a_bad_plan_is_refused_naming_where(change, where, problem):
    with pytest.raises(HallError) as refused:
        hall_plan.parse_plan(json.dumps(broken(change)))
    assert refused.value.code == "hall_plan_invalid"
    found = refused.value.details["errors"]
    assert any(e["where"] == where and problem in e["problem"] for e in found), found
    assert where in refused.value.message


@pytest.mark.parametrize("text", ["", "[1, 2]", '{"width": 40,', "null"])
def test_a_file_that_is_not_a_plan_at_all_is_refused(text):
    with pytest.raises(HallError) as refused:
        hall_plan.parse_plan(text)
    assert refused.value.code == "hall_plan_invalid"


def plan_hub(tmp_path, catalog_csv, plan_text: str | None) -> HubProcess:
    extra = ""
    if plan_text is not None:
        (tmp_path / "plan.json").write_text(plan_text, encoding="utf-8")
        extra = '[hall_plan]\nfile = "plan.json"\n'
    return HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, extra=extra))


def test_the_hub_serves_the_plan_to_draw(tmp_path, catalog_csv):
    hub = plan_hub(tmp_path, catalog_csv, json.dumps(SMALL)).start()
    try:
        answer = http.get(hub.url + "/api/hall-plan", timeout=5)
        assert answer.status_code == 200
        assert answer.json()["plan"] == drawn(SMALL)
        assert "no-cache" in answer.headers["Cache-Control"]
        again = http.get(hub.url + "/api/hall-plan", headers={"If-None-Match": answer.headers["ETag"]}, timeout=5)
        assert again.status_code == 304
    finally:
        hub.stop()


def test_a_hall_without_a_plan_says_so(tmp_path, catalog_csv):
    hub = plan_hub(tmp_path, catalog_csv, None).start()
    try:
        assert http.get(hub.url + "/api/hall-plan", timeout=5).json() == {"plan": None}
    finally:
        hub.stop()


def test_a_hub_with_a_bad_plan_stops_at_start_naming_the_problem(tmp_path, catalog_csv):
    hub = plan_hub(tmp_path, catalog_csv, json.dumps(broken(lambda p: p["halls"][1].update(code="A"))))
    with pytest.raises(RuntimeError) as stopped:
        hub.start()
    # Told by the settings check, one line naming the file and the place in it.
    assert "[hall_plan] file:" in str(stopped.value)
    assert "plan.json: halls[1].code: repeats halls[0]" in str(stopped.value)
