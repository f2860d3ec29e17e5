"""Integer won arithmetic for VAT-inclusive prices, as Korean receipts show it."""


def split_vat(taxable_total: int, rate_percent: int) -> tuple[int, int]:
    """(공급가액, 부가세) of a VAT-inclusive total; supply rounded half up, VAT the rest.

    The split is made once on the receipt's taxable total, not per line, so
    the two parts always add up to what the buyer paid.
    """
    if taxable_total < 0:
        supply, vat = split_vat(-taxable_total, rate_percent)
        return -supply, -vat
    divisor = 100 + rate_percent
    supply = (2 * taxable_total * 100 + divisor) // (2 * divisor)
    return supply, taxable_total - supply
