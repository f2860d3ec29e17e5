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
    "expected_cash": 1996500,
    "counted_cash": 1995500,
    "difference": -1000,
}


def main(argv: list[str]) -> int:
    """Write the sample PNGs into the folder given (default docs/)."""
    out = Path(argv[0] if argv else "docs")
    out.mkdir(parents=True, exist_ok=True)
    pictures = {
        "sample-receipt.png": documents.receipt(HALL, SALE),
        "sample-order-slip.png": documents.order_slip(HALL, HOLD),
        "sample-demo-ticket.png": documents.demo_ticket(HALL, TICKET),
    }
    for name, layout in pictures.items():
        (out / name).write_bytes(png_bytes(layout))
        print(out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
