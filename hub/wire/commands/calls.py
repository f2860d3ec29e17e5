"""A kiosk calling staff to it (직원 호출)."""
from ...errors import invalid
from ...rules import help_calls
from .. import payloads
from ..registry import command


@command("call_staff", {"kiosk"})
def _call_staff(hall, device, payload):
    payload = payloads.mapping(payload)
    lang = payload.get("lang", "ko")
    if lang not in help_calls.LANGS:
        raise invalid(f"lang must be one of {', '.join(help_calls.LANGS)}", field="lang")
    request_ = {"call_id": payloads.client_id(payload.get("call_id"), "call_id"), "lang": lang}
    place = help_calls.place_of(hall.hall_plan, device["name"])
    result, _ = hall.write(help_calls.call, request_, device=device["name"], place=place)
    return result
