"""Demo sessions on a fresh store with a fixed time: capacity, signed tickets, one admission each."""
import uuid
from datetime import date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.rules import demos, tickets
from hub.wire import payloads
from hub.errors import HallError
from tests.conftest import NOON, SEOUL

PROGRAM = """demo_id,name,name_en,firm,booth,description,description_en,day,time,minutes,capacity
COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,설명,About,1,13:00,30,5
COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,설명,About,1,14:00,30,5
DRONE,드론 비행,Drone Flight,(주)하늘드론,A-142,,,1,13:00,30,20
"""
FIRST_DAY = NOON.date()  # the show's day 1 in these tests
RULES = {"max_party": 4, "early_minutes": 30, "release_minutes": 10}
KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def hall(store):
    store.run(demos.load_program, demos.parse_program(PROGRAM, SEOUL, FIRST_DAY), source="test", now=NOON,
              first_day=FIRST_DAY)
    return store


def book(store, slot_id="COBOT-11251300", party=2, now=NOON, booking_id=None):
    request = payloads.book({"booking_id": booking_id or str(uuid.uuid4()), "slot_id": slot_id, "party": party})
    return store.run(demos.book, request, device="kiosk-1", key=KEY, now=now, **RULES)


def scan(store, code, *, at, booth="A-103", offline_at=None, scan_id=None):
    request = payloads.check_in({"scan_id": scan_id or str(uuid.uuid4()), "code": code, "booth": booth,
                                 "offline_at": offline_at})
    return store.run(demos.check_in, request, device="scanner-1", public_key=KEY.public_key(), now=at)[0]["scan"]


DOORS_OPEN = NOON + timedelta(minutes=45)  # 12:45, the ticket opens at 12:30


def test_booking_takes_places_and_never_past_capacity(hall):
    book(hall, party=4)
    with pytest.raises(HallError) as full:
        book(hall, party=2)
    assert full.value.code == "slot_full" and full.value.details["available"] == 1
    book(hall, party=1)
    assert demos.slot(hall.read_db, "COBOT-11251300")["available"] == 0


def test_a_booking_retried_books_once(hall):
    booking_id = str(uuid.uuid4())
    first, _ = book(hall, booking_id=booking_id)
    again, rows = book(hall, booking_id=booking_id)
    assert again == first and rows == []
    assert demos.slot(hall.read_db, "COBOT-11251300")["booked"] == 2


def test_party_size_is_limited(hall):
    with pytest.raises(HallError) as too_many:
        book(hall, party=5)
    assert too_many.value.code == "invalid"
    with pytest.raises(HallError) as nobody:
        payloads.book({"booking_id": str(uuid.uuid4()), "slot_id": "COBOT-11251300", "party": 0})
    assert nobody.value.code == "invalid"


def test_the_signed_ticket_admits_once_and_the_second_scan_says_when(hall):
    ticket = book(hall)[0]["ticket"]
    first = scan(hall, ticket["qr"], at=DOORS_OPEN)
    assert first["admitted"] is True and first["party"] == 2 and first["demo"] == "협동로봇 시연"
    second = scan(hall, ticket["qr"], at=DOORS_OPEN + timedelta(minutes=1))
    assert second["admitted"] is False and second["reason"] == "already_used"
    assert second["first_at"].startswith("2026-11-25T12:45") and second["first_door"] == "scanner-1"
    assert demos.slot(hall.read_db, "COBOT-11251300")["checked_in"] == 2


def test_the_short_code_works_like_the_qr(hall):
    ticket = book(hall)[0]["ticket"]
    assert scan(hall, ticket["short_code"].lower(), at=DOORS_OPEN)["admitted"] is True


def test_a_ticket_has_one_code_and_the_id_every_list_shows_admits_at_the_door(hall):
    ticket = book(hall)[0]["ticket"]
    code = ticket["ticket_id"]
    assert ticket["short_code"] == code and len(code) == tickets.CODE_LENGTH
    assert set(code) <= set(tickets.CODE_ALPHABET)
    assert tickets.verify(KEY.public_key(), ticket["qr"]).ticket_id == code
    typed = f"{code[:4].lower()} - {code[4:]}"
    answer = scan(hall, typed, at=DOORS_OPEN)
    assert answer["admitted"] is True and answer["ticket_id"] == code


def _renamed(db, ticket_id, old_id, *, now):
    """A ticket as the hall booked it before ids and codes were one: a 10-character id beside its code."""
    db.execute("UPDATE demo_tickets SET ticket_id = ? WHERE ticket_id = ?", [old_id, ticket_id])
    return None, []


def test_a_ticket_booked_when_id_and_code_differed_is_found_by_either(hall):
    first, second = book(hall)[0]["ticket"], book(hall)[0]["ticket"]
    hall.run(_renamed, first["ticket_id"], "UV6Q7NUVPE", now=NOON)
    hall.run(_renamed, second["ticket_id"], "YWQ4R7JWAA", now=NOON)
    assert scan(hall, "uv6q7nuvpe", at=DOORS_OPEN)["admitted"] is True
    assert scan(hall, first["short_code"], at=DOORS_OPEN)["reason"] == "already_used"
    cancelled, _ = hall.run(demos.cancel, second["short_code"].lower(), device="kiosk-1", role="kiosk", now=NOON)
    assert cancelled == {"ticket_id": "YWQ4R7JWAA", "status": "cancelled"}


def forge(ticket_qr: str, key=None, payload_change=None) -> str:
    body, signature = ticket_qr[3:].split(".")
    payload = tickets._unb64(body).decode()
    if payload_change:
        payload = payload_change(payload)
    sig = (key.sign(payload.encode()) if key else tickets._unb64(signature))
    return "T1." + tickets._b64(payload.encode()) + "." + tickets._b64(sig)


@pytest.mark.parametrize("damage", [
    lambda qr: forge(qr, payload_change=lambda p: p.replace("|2|", "|4|")),      # party size altered
    lambda qr: forge(qr, key=Ed25519PrivateKey.generate()),                    # another key
    lambda qr: qr[:-20],                                                      # truncated
    lambda qr: qr[:40],                                                       # badly truncated
    lambda qr: "T1.garbage",
    lambda qr: "HOLD:ABCDEF",
])
def test_forged_altered_or_truncated_tickets_are_not_valid(hall, damage):
    ticket = book(hall)[0]["ticket"]
    answer = scan(hall, damage(ticket["qr"]), at=DOORS_OPEN)
    assert answer == {"admitted": False, "reason": "invalid"}


@pytest.mark.parametrize("at, booth, reason", [
    (NOON, "A-103", "too_early"),
    (NOON + timedelta(hours=1, minutes=11), "A-103", "too_late"),
    (DOORS_OPEN, "A-142", "wrong_demo"),
])
def test_each_refusal_says_why(hall, at, booth, reason):
    ticket = book(hall)[0]["ticket"]
    assert scan(hall, ticket["qr"], at=at, booth=booth)["reason"] == reason


def test_a_cancelled_ticket_frees_its_places_and_is_refused_at_the_door(hall):
    ticket = book(hall, party=3)[0]["ticket"]
    hall.run(demos.cancel, ticket["ticket_id"], device="kiosk-1", role="kiosk", now=NOON)
    assert demos.slot(hall.read_db, "COBOT-11251300")["available"] == 5
    assert scan(hall, ticket["qr"], at=DOORS_OPEN)["reason"] == "cancelled"


def test_no_shows_are_released_for_walk_ins(hall):
    kept = book(hall, party=2)[0]["ticket"]
    book(hall, party=3)
    scan(hall, kept["qr"], at=DOORS_OPEN)
    result, rows = hall.run(demos.release_no_shows, release_minutes=10, now=NOON + timedelta(hours=1, minutes=10))
    assert "COBOT-11251300" in result["released"]
    released = demos.slot(hall.read_db, "COBOT-11251300")
    assert released["booked"] == 2 and released["available"] == 3
    walk_in = book(hall, party=3, now=NOON + timedelta(hours=1, minutes=12))[0]["ticket"]
    assert scan(hall, walk_in["qr"], at=NOON + timedelta(hours=1, minutes=20))["admitted"] is True


def test_two_offline_doors_admitting_one_ticket_report_a_conflict(hall):
    ticket = book(hall)[0]["ticket"]
    first = scan(hall, ticket["qr"], at=DOORS_OPEN + timedelta(minutes=5), offline_at="2026-11-25T12:46:00+09:00")
    second = scan(hall, ticket["qr"], at=DOORS_OPEN + timedelta(minutes=5), booth="A-103",
                  offline_at="2026-11-25T12:47:00+09:00")
    assert first["admitted"] is True
    assert second["reason"] == "already_used" and second["conflict"] is True
    assert [c["ticket_id"] for c in demos.conflicts(hall.read_db)] == [ticket["ticket_id"]]


@pytest.mark.parametrize("row, problem", [
    ("X,이름,Name,회사,A-1,,,2,9:30,30,10", None),
    ("X,이름,Name,회사,A-1,,,1,yesterday,30,10", "time 'yesterday'"),
    ("X,이름,Name,회사,A-1,,,1,24:00,30,10", "time '24:00'"),
    ("X,이름,Name,회사,A-1,,,0,13:00,30,10", "day '0' must be the show's day number"),
    ("X,이름,Name,회사,A-1,,,2026-11-25,13:00,30,10", "day '2026-11-25'"),
    ("X,이름,Name,회사,A-1,,,1,13:00,0,10", "minutes"),
    ("X,이름,Name,회사,A-1,,,1,13:00,30,0", "capacity"),
    ("COBOT,다른 이름,Other,회사,A-1,,,1,15:00,30,10", "described differently"),
    ("COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,설명,About,1,13:00,30,5", "listed twice"),
    ("X,이름", "wrong number of fields"),
])
def test_a_bad_program_row_names_its_line(row, problem):
    text = PROGRAM + row + "\n"
    if problem is None:
        assert len(demos.parse_program(text, SEOUL, FIRST_DAY)) == 4
        return
    with pytest.raises(HallError) as refused:
        demos.parse_program(text, SEOUL, FIRST_DAY)
    assert refused.value.code == "demos_invalid"
    assert refused.value.details["errors"][0]["line"] == 5
    assert problem in refused.value.details["errors"][0]["problem"]


@pytest.mark.parametrize("first_day", [date(2026, 11, 25), date(2031, 2, 27)])
def test_the_program_is_laid_out_from_the_shows_first_day(first_day):
    text = PROGRAM + "DRONE,드론 비행,Drone Flight,(주)하늘드론,A-142,,,3,9:05,30,20\n"
    rows = {r["slot_id"]: r["starts_at"] for r in demos.parse_program(text, SEOUL, first_day)}
    day_3 = first_day + timedelta(days=2)
    assert rows[f"DRONE-{day_3:%m%d}0905"] == datetime(day_3.year, day_3.month, day_3.day, 9, 5, tzinfo=SEOUL)
    assert rows[f"COBOT-{first_day:%m%d}1400"].date() == first_day


def test_a_program_with_dates_says_to_give_day_numbers():
    dated = PROGRAM.replace("day,time", "starts_at").replace(",1,13:00,", ",2026-11-25T13:00,")
    with pytest.raises(HallError) as refused:
        demos.parse_program(dated, SEOUL, FIRST_DAY)
    assert refused.value.code == "demos_invalid"
    assert "day (day: 1, 2, 3)" in refused.value.details["errors"][0]["problem"]


def test_the_first_day_is_the_day_the_hall_first_started_and_a_restart_does_not_move_it(store):
    first, _ = store.run(demos.show_first_day, configured=None, now=NOON)
    two_days_on, _ = store.run(demos.show_first_day, configured=None, now=NOON + timedelta(days=2))
    assert first == two_days_on == NOON.date()
    named, _ = store.run(demos.show_first_day, configured=date(2027, 5, 1), now=NOON + timedelta(days=2))
    assert named == date(2027, 5, 1)


def test_a_program_wholly_past_is_over(hall):
    assert demos.program_span(hall.read_db, now=NOON) == {
        "first_day": "2026-11-25", "sessions": 3, "starts_at": "2026-11-25T13:00+09:00",
        "ends_at": "2026-11-25T14:30+09:00", "over": False}
    assert demos.program_span(hall.read_db, now=NOON.replace(hour=14, minute=29))["over"] is False
    assert demos.program_span(hall.read_db, now=NOON.replace(hour=14, minute=30))["over"] is True


def test_no_program_is_not_over(store):
    assert demos.program_span(store.read_db, now=NOON)["over"] is False


def test_the_committed_program_loads_as_three_days(tmp_path):
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "config" / "demos.csv").read_text(encoding="utf-8")
    rows = demos.parse_program(text, SEOUL, FIRST_DAY)
    assert len(rows) >= 100 and len({r["demo_id"] for r in rows}) >= 8
    assert {r["starts_at"].date() for r in rows} == {FIRST_DAY + timedelta(days=n) for n in range(3)}


def test_the_demo_program_generator_reproduces_the_committed_file(tmp_path):
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "demos.csv"
    subprocess.run([sys.executable, str(root / "config" / "make_demos.py"), "--out", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (root / "config" / "demos.csv").read_bytes()


@pytest.mark.parametrize("written, first_day", [('"2026-11-25"', date(2026, 11, 25)), ("2027-03-02", date(2027, 3, 2)),
                                                ("", None)])
def test_hall_toml_names_the_shows_first_day(tmp_path, written, first_day):
    from hub import config
    from hub.config import ConfigError
    path = tmp_path / "hall.toml"
    for name in ("catalog.csv", "demos.csv"):  # the settings check wants the files they name to be there
        (tmp_path / name).write_text("", encoding="utf-8")
    path.write_text(f"[show]\nfirst_day = {written}\n" if written else "", encoding="utf-8")
    assert config.load(path, tmp_path).first_day == first_day


@pytest.mark.parametrize("written", ['"25.11.2026"', "2026-11-25T10:00:00", "20261125"])
def test_a_first_day_that_is_not_a_date_stops_the_hub_with_a_clear_message(tmp_path, written):
    from hub import config
    from hub.config import ConfigError
    path = tmp_path / "hall.toml"
    for name in ("catalog.csv", "demos.csv"):
        (tmp_path / name).write_text("", encoding="utf-8")
    path.write_text(f"[show]\nfirst_day = {written}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[show\] first_day: must be a date like 2026-11-25"):
        config.load(path, tmp_path)
