"""The hall plan: where every booth is, drawn from its booth code and a small layout file.

A booth code says where the booth stands: A-109 is hall A, row 1, booth 9 (the hall's code, a dash, the
row, then the booth's number in two digits), as the catalog and the demo program write it. The layout file
(config/hall-plan.json) says only what a code cannot: each hall's box on the plan, its number of rows and
of booths per row, where cross aisles cut a row, and the other places a visitor looks for (entrances,
cashier desks, the demo stage, the information desk, each kiosk). It is read and checked once at start;
a file with any problem stops the hub with every problem named, as a bad catalog does.

The plan's units are the file's own (metres, say); screens scale the drawing to fit.
"""
import json
import math
import re

from ..errors import HallError

HALL_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,3}$")
DEVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
PLACE_KINDS = ("entrance", "cashier", "stage", "info", "kiosk", "restroom")
MAX_ROWS, MAX_BOOTHS = 9, 99
MAX_HALLS, MAX_PLACES = 26, 60
NAME_LIMIT = 60
PLAN_KEYS = {"name", "name_en", "width", "height", "halls", "places"}
HALL_KEYS = {"code", "name", "name_en", "x", "y", "width", "height", "rows", "booths", "cross_aisles"}
PLACE_KEYS = {"kind", "name", "name_en", "x", "y", "width", "height", "device"}
# Inside a hall: a margin round the booths, an aisle between rows as deep as this share of a row, and a
# cross aisle as wide as this many booths.
HALL_MARGIN = 0.04
ROW_AISLE = 0.6
CROSS_AISLE = 1.2


class _Problems:
    """Every problem found in the file, each with where it is ("halls[2].rows")."""

    def __init__(self):
        self.errors: list[dict] = []

    def add(self, where: str, problem: str) -> None:
        self.errors.append({"where": where, "problem": problem})

    def text(self, value, where: str, limit: int = NAME_LIMIT, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            self.add(where, f"must be text of 1-{limit} characters")
            return ""
        if any(ord(ch) < 32 for ch in value):
            self.add(where, "contains control characters")
            return ""
        return value.strip()

    def number(self, value, where: str, low: float, high: float) -> float:
        # bool is an int in Python; true is not a coordinate.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or not low <= value <= high:
            self.add(where, f"must be a number from {low:g} to {high:g}")
            return low
        return float(value)

    def whole(self, value, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(where, f"must be a whole number from {low} to {high}")
            return low
        return value

    def keys(self, entry: dict, allowed: set, where: str) -> None:
        for key in sorted(set(entry) - allowed):
            self.add(f"{where}.{key}" if where else key, f"is not a setting of the plan (allowed: "
                                                          f"{', '.join(sorted(allowed))})")


def _box(problems: _Problems, entry: dict, where: str, plan_w: float, plan_h: float, *, optional_size: bool):
    x = problems.number(entry.get("x"), f"{where}.x", 0, plan_w)
    y = problems.number(entry.get("y"), f"{where}.y", 0, plan_h)
    if optional_size and "width" not in entry and "height" not in entry:
        return x, y, 0.0, 0.0
    width = problems.number(entry.get("width"), f"{where}.width", 0.5, plan_w)
    height = problems.number(entry.get("height"), f"{where}.height", 0.5, plan_h)
    if x + width > plan_w + 1e-9 or y + height > plan_h + 1e-9:
        problems.add(where, "reaches past the edge of the plan")
    return x, y, width, height


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] \
        and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def _hall(problems: _Problems, entry, where: str, plan_w: float, plan_h: float) -> dict | None:
    if not isinstance(entry, dict):
        problems.add(where, "must be an object with code, name, name_en, x, y, width, height, rows, booths")
        return None
    problems.keys(entry, HALL_KEYS, where)
    code = entry.get("code")
    if not isinstance(code, str) or not HALL_CODE.match(code):
        problems.add(f"{where}.code", "must be 1-4 capital letters or digits, starting with a letter (A, B, EX1)")
        code = ""
    x, y, width, height = _box(problems, entry, where, plan_w, plan_h, optional_size=False)
    rows = problems.whole(entry.get("rows"), f"{where}.rows", 1, MAX_ROWS)
    booths = problems.whole(entry.get("booths"), f"{where}.booths", 1, MAX_BOOTHS)
    aisles = entry.get("cross_aisles", [])
    if not isinstance(aisles, list) or any(isinstance(a, bool) or not isinstance(a, int) for a in aisles) \
            or any(not 1 <= a < booths for a in aisles) or aisles != sorted(set(aisles)):
        problems.add(f"{where}.cross_aisles", f"must list booth numbers from 1 to {booths - 1} in rising order, "
                                              "each followed by a cross aisle")
        aisles = []
    return {"code": code, "name": problems.text(entry.get("name"), f"{where}.name"),
            "name_en": problems.text(entry.get("name_en"), f"{where}.name_en"),
            "x": x, "y": y, "width": width, "height": height, "rows": rows, "booths": booths,
            "cross_aisles": aisles}


def _place(problems: _Problems, entry, where: str, plan_w: float, plan_h: float) -> dict | None:
    if not isinstance(entry, dict):
        problems.add(where, "must be an object with kind, name, name_en, x, y")
        return None
    problems.keys(entry, PLACE_KEYS, where)
    kind = entry.get("kind")
    if kind not in PLACE_KINDS:
        problems.add(f"{where}.kind", f"must be one of {', '.join(PLACE_KINDS)}")
    x, y, width, height = _box(problems, entry, where, plan_w, plan_h, optional_size=True)
    place = {"kind": kind, "name": problems.text(entry.get("name"), f"{where}.name"),
             "name_en": problems.text(entry.get("name_en"), f"{where}.name_en"),
             "x": x, "y": y, "width": width, "height": height}
    if kind == "kiosk":
        device = entry.get("device")
        if not isinstance(device, str) or not DEVICE_NAME.match(device):
            problems.add(f"{where}.device", "must be the kiosk's device name, like kiosk-1")
        place["device"] = device
    elif "device" in entry:
        problems.add(f"{where}.device", "is only for a kiosk")
    return place


def parse_plan(text: str) -> dict:
    """The checked layout from hall-plan.json text, or HallError('hall_plan_invalid') naming every problem."""
    problems = _Problems()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as broken:
        raise HallError("hall_plan_invalid", f"hall plan: not JSON (line {broken.lineno}: {broken.msg})",
                        errors=[{"where": f"line {broken.lineno}", "problem": broken.msg}]) from None
    if not isinstance(raw, dict):
        raise HallError("hall_plan_invalid", "hall plan: must be a JSON object",
                        errors=[{"where": "", "problem": "must be a JSON object"}])
    problems.keys(raw, PLAN_KEYS, "")
    plan_w = problems.number(raw.get("width"), "width", 10, 10_000)
    plan_h = problems.number(raw.get("height"), "height", 10, 10_000)
    halls_raw, places_raw = raw.get("halls"), raw.get("places", [])
    if not isinstance(halls_raw, list) or not 1 <= len(halls_raw) <= MAX_HALLS:
        problems.add("halls", f"must list 1-{MAX_HALLS} halls")
        halls_raw = []
    if not isinstance(places_raw, list) or len(places_raw) > MAX_PLACES:
        problems.add("places", f"must list at most {MAX_PLACES} places")
        places_raw = []
    halls = [h for i, entry in enumerate(halls_raw) if (h := _hall(problems, entry, f"halls[{i}]", plan_w, plan_h))]
    places = [p for i, entry in enumerate(places_raw)
              if (p := _place(problems, entry, f"places[{i}]", plan_w, plan_h))]
    seen: dict[str, int] = {}
    for i, hall in enumerate(halls):
        if hall["code"] and hall["code"] in seen:
            problems.add(f"halls[{i}].code", f"repeats halls[{seen[hall['code']]}]")
        seen.setdefault(hall["code"], i)
        for j in range(i):
            if _overlap(hall, halls[j]):
                problems.add(f"halls[{i}]", f"overlaps halls[{j}]")
    kiosks = [p["device"] for p in places if p["kind"] == "kiosk"]
    if len(kiosks) != len(set(kiosks)):
        problems.add("places", "a kiosk is placed twice")
    if problems.errors:
        listed = "; ".join(f"{e['where'] or 'the file'}: {e['problem']}" for e in problems.errors[:20])
        more = f" (and {len(problems.errors) - 20} more)" if len(problems.errors) > 20 else ""
        raise HallError("hall_plan_invalid", f"hall plan not loaded: {listed}{more}", errors=problems.errors)
    return {"name": problems.text(raw.get("name"), "name", 80, required=False),
            "name_en": problems.text(raw.get("name_en"), "name_en", 80, required=False),
            "width": plan_w, "height": plan_h, "halls": halls, "places": places}


def booth_code(hall: str, row: int, number: int) -> str:
    """The code of booth `number` in row `row` of `hall`: booth_code("A", 1, 9) == "A-109"."""
    return f"{hall}-{row}{number:02d}"


def _booth_boxes(hall: dict) -> dict[str, list[float]]:
    """Every booth of a hall as [x, y, width, height]: rows top to bottom, booths left to right."""
    margin = HALL_MARGIN * min(hall["width"], hall["height"])
    inner_w, inner_h = hall["width"] - 2 * margin, hall["height"] - 2 * margin
    rows, booths, aisles = hall["rows"], hall["booths"], hall["cross_aisles"]
    depth = inner_h / (rows + ROW_AISLE * (rows - 1))
    width = inner_w / (booths + CROSS_AISLE * len(aisles))
    boxes = {}
    for row in range(1, rows + 1):
        y = hall["y"] + margin + (row - 1) * depth * (1 + ROW_AISLE)
        for number in range(1, booths + 1):
            crossed = sum(1 for after in aisles if after < number)
            x = hall["x"] + margin + (number - 1 + CROSS_AISLE * crossed) * width
            boxes[booth_code(hall["code"], row, number)] = [round(x, 2), round(y, 2), round(width, 2),
                                                           round(depth, 2)]
    return boxes


def drawing(plan: dict) -> dict:
    """The plan as screens draw it: its halls and places, and every booth's box by its code."""
    booths = {}
    for hall in plan["halls"]:
        booths.update(_booth_boxes(hall))
    halls = [{key: hall[key] for key in ("code", "name", "name_en", "x", "y", "width", "height", "rows", "booths")}
             for hall in plan["halls"]]
    return {"name": plan["name"], "name_en": plan["name_en"], "width": plan["width"], "height": plan["height"],
            "halls": halls, "places": plan["places"], "booths": booths}

