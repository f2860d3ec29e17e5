"""A kiosk calling staff to it (직원 호출)."""
from ...rules import help_calls
from .. import payloads
from ..registry import command


@command("call_staff", {"kiosk"})
def _call_staff(hall, device, payload):
    request_ = payloads.call_staff(payload)
    place = help_calls.place_of(hall.hall_plan, device["name"])
    result, _ = hall.write(help_calls.call, request_, device=device["name"], place=place)
    return result
