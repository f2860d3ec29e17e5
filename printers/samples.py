"""Sample documents and their pictures: `python -m printers.samples docs/`."""
from __future__ import annotations

import sys
from pathlib import Path

from . import documents
from .png_render import png_bytes

HALL = {
    "name": "2025 코리아 푸드 엑스포 판매관",
    "business_no": "123-45-67890",
    "representative": "김하늘",
    "address": "서울특별시 강남구 영동대로 513 코엑스 B홀",
    "phone": "02-6000-0114",
    "footer": "교환·환불은 7일 이내, 영수증 지참 시 가능합니다.\n감사합니다. Thank you!",
}

SALE = {
    "receipt_no": "250514-00042",
    "terminal": "POS-03",
    "cashier": "이서연",
    "at": "2025-05-14T14:32:05+09:00",
    "lines": [
        {"name": "전통 한과 선물세트 (대)", "qty": 1, "unit_price": 35000, "amount": 35000, "tax_free": False},
        {"name": "유기농 신고배 2kg", "qty": 2, "unit_price": 12000, "amount": 24000, "tax_free": True},
        {"name": "Jeju Green Tea 녹차 티백 50입", "qty": 3, "unit_price": 8500, "amount": 25500, "tax_free": False},
        {"name": "수제 유자청 500g", "qty": 1, "unit_price": 15900, "amount": 15900, "tax_free": False},
    ],
    "total": 100400,
    "taxable_total": 76400,
    "tax_free_total": 24000,
    "supply": 69455,
    "vat": 6945,
    "payments": [
        {"method": "cash", "amount": 50000, "tendered": 60000, "change": 10000},
        {"method": "card", "amount": 50400, "card_type": "신한카드", "card_masked": "9410-12**-****-3381",
         "approval_no": "30518277"},
    ],
    "change": 10000,
    "cash_receipt": {"kind": "phone", "number": "01098765432"},
}

HOLD = {
    "code": "K7-482",
    "lines": [
        {"name": "전통 한과 선물세트 (대)", "qty": 1, "unit_price": 35000, "amount": 35000},
        {"name": "수제 유자청 500g", "qty": 2, "unit_price": 15900, "amount": 31800},
    ],
    "total": 66800,
    "expires_at": "2025-05-14T14:50:00+09:00",
}

TICKET = {
    "demo_name": "김치 담그기 체험",
    "demo_name_en": "Make Your Own Kimchi",
    "booth": "C-12",
    "slot_start": "2025-05-14T15:00:00+09:00",
    "slot_end": "2025-05-14T15:30:00+09:00",
    "party_size": 2,
    "qr_payload": "T1.WVdRNFI3Sld8S0lNQ0hJLTA1MTQxNTAwfDJ8MTc0NzIwMTYwMHwxNzQ3MjAzNDAw.c2FtcGxlIHNpZ25hdHVyZQ",
    "code": "YWQ4R7JW",
}

REPORT = {
    "terminal": "POS-03",
    "cashier": "이서연",
    "opened_at": "2025-05-14T09:30:00+09:00",
    "closed_at": "2025-05-14T18:05:12+09:00",
    "sales_count": 187,
    "by_method": {"cash": 1843500, "card": 6120900},
    "refunds": {"count": 2, "amount": 47000},
    "voids": {"count": 1, "amount": 12000},
    "float": 200000,
    "cash_sales": 1843500,
    "cash_refunds": 47000,
    "unbooked": {"count": 0, "cash": 0},
    "expected_cash": 1996500,
    "counted_cash": 1995500,
    "difference": -1000,
    "difference_kind": "short",
}

DAY = {
    "day": "2025-05-14", "gross": 31840600, "sales": 702, "refunds": 188000, "refund_count": 6,
    "net": 31652600,
    "by_method": {"cash": {"taken": 7402300, "refunded": 59000, "net": 7343300},
                  "card": {"taken": 24438300, "refunded": 129000, "net": 24309300}},
    "tax": {"taxable": 27930600, "supply": 25391455, "vat": 2539145, "tax_free": 3722000},
    "cash_receipts": {"count": 41, "cancelled": 1, "amount": 2115400},
    "offline": {"sales": 23, "amount": 611500, "repriced": 1, "unbooked": {"count": 0, "cash": 0},
                "discrepancies": [{"discrepancy_id": 1, "sku": "P00412", "name": "수제 유자청 500g", "qty": 1,
                                   "receipt_no": "250514-00388", "device": "POS-02", "settled_at": None,
                                   "settlement": None}]},
    "firms": [{"firm": "한과명가", "booth": "C-10", "net": 12840000},
              {"firm": "제주녹차원", "booth": "C-14", "net": 9112600},
              {"firm": "청정유자농원", "booth": "C-21", "net": 9700000}],
    "drawers": [{"terminal": "POS-01", "cashier": "박민준", "closed_at": "2025-05-14T18:02:40+09:00",
                 "difference": 0},
                {"terminal": "POS-02", "cashier": "최유나", "closed_at": "2025-05-14T18:03:55+09:00",
                 "difference": 2000},
                {"terminal": "POS-03", "cashier": "이서연", "closed_at": "2025-05-14T18:05:12+09:00",
                 "difference": -1000}],
    "open_shifts": [],
    "seal": {"algorithm": "sha256", "digest": "9f2c4e61b0d8a7735e1c2f9a4b6d8e0f1a3c5e7092b4d6f8a1c3e5f7092b4d6f8",
             "events": 18412, "closed_at": "2025-05-14T18:20:03+09:00", "closed_by": "mina@staff-1"},
}


def main(argv: list[str]) -> int:
    """Write the sample PNGs into the folder given (default docs/)."""
    out = Path(argv[0] if argv else "docs")
    out.mkdir(parents=True, exist_ok=True)
    pictures = {
        "sample-receipt.png": documents.receipt(HALL, SALE),
        "sample-order-slip.png": documents.order_slip(HALL, HOLD),
        "sample-demo-ticket.png": documents.demo_ticket(HALL, TICKET),
        "sample-z-report.png": documents.shift_report(HALL, REPORT),
        "sample-day-report.png": documents.day_report(HALL, DAY),
    }
    for name, layout in pictures.items():
        (out / name).write_bytes(png_bytes(layout))
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
