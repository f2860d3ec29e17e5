"""The cashier of a sale, refund or shift is the one the hub signed in at that till, never the till's word."""
import uuid
from datetime import timedelta

import pytest

from hub.errors import HallError
from hub.rules import cashiers, checkout, refunds, replays, shifts, sign_ins
from hub.wire import payloads
from tests.conftest import NOON, signed_in


def sale(sign_in, **extra):
    return payloads.checkout({"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                              "payments": [{"method": "cash", "amount": 1100}], "sign_in": sign_in, **extra})


def sell(store, request, device="pos-1", now=NOON):
    return store.run(checkout.checkout, request, device=device, tax_rate=10, now=now)


def refused(store, request, device="pos-1", now=NOON) -> HallError:
    with pytest.raises(HallError) as caught:
        sell(store, request, device=device, now=now)
    return caught.value


def test_a_sale_names_the_signed_in_cashier_whatever_the_till_says(store):
    request = sale(signed_in(store, "c01"), cashier="s01")
    assert "cashier" not in request  # the till's word is not even read
    assert sell(store, request)[0]["sale"]["cashier"] == "c01"


@pytest.mark.parametrize("sign_in, reason", [(None, "missing"), ("made-up-sign-in-secret", "unknown")])
def test_a_sale_with_no_sign_in_or_an_unknown_one_is_refused(store, sign_in, reason):
    error = refused(store, sale(sign_in))
    assert (error.code, error.details["reason"]) == ("sign_in_required", reason)


def test_a_sign_in_from_one_till_does_not_sell_at_another(store):
    error = refused(store, sale(signed_in(store, device="pos-1")), device="pos-2")
    assert (error.code, error.details["reason"]) == ("sign_in_required", "other_till")


def test_a_new_sign_in_ends_the_tills_last_one_for_new_work_but_not_for_offline_sales(store):
    earlier = signed_in(store, "c01")
    signed_in(store, "c02")
    assert refused(store, sale(earlier)).details["reason"] == "ended"
    # A sale rung up by c01 while the till was offline, sent after c02 signed in: it stands, as c01's.
    replay = sale(earlier, offline_at=(NOON - timedelta(minutes=20)).isoformat())
    assert sell(store, replay)[0]["sale"]["cashier"] == "c01"


def test_signing_out_ends_the_sign_in_and_an_old_one_expires(store):
    secret = signed_in(store)
    store.run(sign_ins.end, secret, device="pos-1", now=NOON)
    assert refused(store, sale(secret)).details["reason"] == "ended"
    late = signed_in(store)
    assert refused(store, sale(late), now=NOON + sign_ins.LIFETIME).details["reason"] == "ended"


def test_a_sale_retried_after_sign_out_answers_as_before(store):
    secret = signed_in(store)
    request = sale(secret)
    first, _ = sell(store, request)
    store.run(sign_ins.end, secret, device="pos-1", now=NOON)
    again, rows = sell(store, request)
    assert again == first and rows == []


def test_a_shift_is_the_signed_in_cashiers(store):
    request = payloads.shift_open({"shift_id": str(uuid.uuid4()), "cashier_id": "s01", "float": 50000,
                                   "sign_in": signed_in(store, "c01")})
    assert store.run(shifts.open_shift, request, device="pos-1", now=NOON)[0]["shift"]["cashier_id"] == "c01"
    close = payloads.shift_close({"shift_id": request["shift_id"], "counted_cash": 50000})
    with pytest.raises(HallError) as no_one:
        store.run(shifts.close_shift, close, device="pos-1", now=NOON)
    assert no_one.value.code == "sign_in_required"


def test_a_refund_is_the_signed_in_cashiers(store):
    receipt_no = sell(store, sale(signed_in(store, "c01")))[0]["sale"]["receipt_no"]
    request = payloads.refund({"refund_id": str(uuid.uuid4()), "receipt_no": receipt_no, "cashier": "s01",
                               "sign_in": signed_in(store, "c02"), "lines": [{"line_no": 1, "qty": 1}]})
    result, _ = store.run(refunds.refund, request, device="pos-1", tax_rate=10, approval_over=50000, now=NOON)
    assert result["refund"]["cashier"] == "c02"


def test_a_pin_sign_in_answers_with_a_secret_the_hub_keeps_only_hashed(store):
    store.run(cashiers.upsert, "c01", "김계산", cashiers.hash_pin("1234"), supervisor=False, now=NOON)
    result, rows = store.run(cashiers.login, "c01", "1234", device="pos-1", now=NOON)
    secret = result["sign_in"]
    kept = [row[0] for row in store.read_db.execute("SELECT secret_hash FROM till_sign_ins")]
    assert secret not in kept and len(kept) == 1
    assert all(secret not in str(row["data"]) for row in rows)


def test_a_refused_replay_is_kept_without_the_sign_in(store):
    request = sale("a-secret-the-staff-must-not-see", offline_at=(NOON - timedelta(minutes=5)).isoformat())
    error = refused(store, request)
    _, rows = store.run(replays.record, request, error, device="pos-1", now=NOON)
    assert "sign_in" not in replays.listing(store.read_db)[0]["payload"]
    assert "a-secret" not in str(rows[0]["data"])
