import pytest

from hub.rules.money import split_vat


@pytest.mark.parametrize("total, supply, vat", [
    (11000, 10000, 1000),
    (42000, 38182, 3818),
    (1, 1, 0),
    (0, 0, 0),
    (99999, 90908, 9091),
    (-11000, -10000, -1000),
])
def test_vat_inclusive_total_splits_into_supply_and_vat(total, supply, vat):
    assert split_vat(total, 10) == (supply, vat)


@pytest.mark.parametrize("rate", [10, 0, 7])
def test_supply_and_vat_always_add_up_to_the_total(rate):
    for total in range(0, 50_000, 7):
        supply, vat = split_vat(total, rate)
        assert supply + vat == total
        # Rounded to the nearest won, never off by more than half a won.
        assert abs(supply * (100 + rate) - total * 100) * 2 <= 100 + rate
