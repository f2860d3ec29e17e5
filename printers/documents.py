"""The hall's printed documents as Layouts, built from plain dicts (no database, no Flask)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from .layout import QR, Block, Columns, Feed, Layout, Rule, Text, pair

# Won, not ₩: CP949 has no U+20A9, and "원" is what Korean receipts print anyway.
CURRENCY = "원"
# Below this many columns (58 mm paper) an item's numbers go on a line of their own.
NARROW = 40


def amount(value: int) -> str:
    """An amount with thousands separators and no unit: 12,345."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"amounts are whole won (int), not {value!r}")
    return f"{value:,}"


def won(value: int) -> str:
    """An amount in won: 12,345원."""
    return amount(value) + CURRENCY


def _when(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M:%S")


def _hhmm(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M")


def _hall_title(hall: Mapping[str, Any]) -> list[Block]:
    return [Text(hall["name"], align="center", bold=True, height=2)]


def _business_lines(hall: Mapping[str, Any]) -> list[Block]:
    return [
        Text(f"사업자등록번호: {hall['business_no']}"),
        Text(f"대표: {hall['representative']}"),
        Text(f"주소: {hall['address']}"),
        Text(f"전화: {hall['phone']}"),
    ]


def _footer(hall: Mapping[str, Any]) -> list[Block]:
    footer = hall.get("footer") or ""
    return [Feed(1), Text(footer, align="center")] if footer.strip() else []


def _item_rows(lines, columns: int, *, unit: bool, sign: int = 1) -> list[Block]:
    """Item lines; tax-free items are marked '*' before the name, as Korean receipts do."""
    rows: list[Block] = []
    wide = columns >= NARROW
    if wide:
        header = ("상품명", "수량", "단가", "금액") if unit else ("상품명", "수량", "금액")
    else:
        header = ("상품명", "금액")
    widths = (0, 4, 9, 10) if unit else (0, 4, 10)
    rows.append(Columns(header, widths=widths if wide else None))
    rows.append(Rule())
    for line in lines:
        name = ("*" if line.get("tax_free") else "") + line["name"]
        qty, line_amount = str(line["qty"]), amount(sign * abs(line["amount"]))
        if wide:
            cells = (name, qty, amount(line["unit_price"]), line_amount) if unit else (name, qty, line_amount)
            rows.append(Columns(cells, widths=widths))
        else:
            rows.append(Text(name))
            detail = f"  {qty} x {amount(line['unit_price'])}" if unit else f"  {qty}"
            rows.append(pair(detail, line_amount))
    return rows


def _payment_rows(payment: Mapping[str, Any], sign: int) -> list[Block]:
    method = payment["method"]
    paid = won(sign * abs(payment["amount"]))
    if method == "cash":
        rows: list[Block] = [pair("현금 환불" if sign < 0 else "현금", paid)]
        if sign > 0 and payment.get("tendered") is not None:
            rows.append(pair("  받은금액", won(payment["tendered"])))
            rows.append(pair("  거스름돈", won(payment.get("change") or 0)))
        return rows
    if method == "card":
        label = "카드 승인취소" if sign < 0 else "카드"
        if payment.get("card_type"):
            label += f" ({payment['card_type']})"
        rows = [pair(label, paid)]
        if payment.get("card_masked"):
            rows.append(pair("  카드번호", payment["card_masked"]))
        if payment.get("approval_no"):
            rows.append(pair("  승인번호", payment["approval_no"]))
        return rows
    raise ValueError(f"unknown payment method {method!r}")


# Phone and cash-receipt-card numbers are for personal income deduction; a business number proves an expense.
CASH_RECEIPT_PURPOSE = {"phone": "소득공제", "card": "소득공제", "business": "지출증빙"}


def masked_number(digits: str) -> str:
    """A 현금영수증 number as Korean receipts print it: the first three and last four digits, the rest hidden."""
    digits = "".join(ch for ch in str(digits) if ch.isdigit())
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _cash_receipt_rows(request: Mapping[str, Any], *, refund: bool) -> list[Block]:
    purpose = CASH_RECEIPT_PURPOSE.get(request["kind"], request["kind"])
    title = f"현금영수증 취소 ({purpose})" if refund else f"현금영수증 ({purpose})"
    rows: list[Block] = [pair(title, masked_number(request["number"]), bold=True)]
    if refund and request.get("amount") is not None:
        rows.append(pair("  취소 금액", won(-abs(request["amount"]))))
    return rows


def receipt(
    hall: Mapping[str, Any], sale: Mapping[str, Any], *, reprint: bool = False, refund: bool = False, columns: int = 48
) -> Layout:
    """A sale receipt (영수증), or its reprint, or a refund receipt with negative amounts."""
    # Refund amounts print negative whatever sign the sale record stores them with.
    sign = -1 if refund else 1

    def money(value: int) -> str:
        return won(sign * abs(value))

    blocks: list[Block] = _hall_title(hall)
    if refund:
        blocks += [Text("환불 영수증", align="center", bold=True, width=2, height=2),
                   Text("REFUND", align="center", bold=True)]
    else:
        blocks.append(Text("영수증", align="center", bold=True, width=2, height=2))
    if reprint:
        blocks += [Rule("="), Text("재발행 / REPRINT", align="center", bold=True, height=2), Rule("=")]
    else:
        blocks.append(Rule())
    blocks += [*_business_lines(hall), Rule()]
    blocks += [
        pair(f"단말기: {sale['terminal']}", f"계산원: {sale['cashier']}"),
        Text(f"일시: {_when(sale['at'])}"),
        Text(f"영수증번호: {sale['receipt_no']}"),
    ]
    if sale.get("original_receipt_no"):
        blocks.append(Text(f"원영수증번호: {sale['original_receipt_no']}"))
    blocks.append(Rule())
    blocks += _item_rows(sale["lines"], columns, unit=True, sign=sign)
    blocks.append(Rule())
    blocks.append(pair("환불합계" if refund else "합계", money(sale["total"]), bold=True, height=2))
    blocks += [
        pair("  과세물품가액", money(sale["taxable_total"])),
        pair("    공급가액", money(sale["supply"])),
        pair("    부가세", money(sale["vat"])),
        pair("  면세물품가액", money(sale["tax_free_total"])),
        Rule(),
    ]
    payments = sale.get("payments") or []
    for payment in payments:
        blocks += _payment_rows(payment, sign)
    cash_showed_change = any(p["method"] == "cash" and p.get("tendered") is not None for p in payments)
    if not refund and sale.get("change") and not cash_showed_change:
        blocks.append(pair("거스름돈", won(sale["change"]), bold=True))
    if sale.get("cash_receipt"):
        blocks += _cash_receipt_rows(sale["cash_receipt"], refund=refund)
    blocks.append(Rule())
    if any(line.get("tax_free") for line in sale["lines"]):
        blocks.append(Text("* 표시 상품은 면세물품입니다."))
    blocks += [Feed(1), QR(f"RCPT:{sale['receipt_no']}", size=5), Text(sale["receipt_no"], align="center")]
    blocks += _footer(hall)
    return Layout(blocks, paper=columns)


def order_slip(hall: Mapping[str, Any], hold: Mapping[str, Any], columns: int = 48) -> Layout:
    """A kiosk order slip: the hold code to show at a cashier, its items and the deadline."""
    deadline = _hhmm(hold["expires_at"])
    blocks: list[Block] = _hall_title(hall)
    blocks += [
        Text("주문서", align="center", bold=True, width=2, height=2),
        Text("ORDER SLIP", align="center", bold=True),
        Rule(),
        Text("주문번호 Order code", align="center"),
        Text(hold["code"], align="center", bold=True, width=3, height=3),
        QR(f"HOLD:{hold['code']}", size=6),
        Rule(),
        *_item_rows(hold["lines"], columns, unit=False),
        Rule(),
        pair("합계", won(hold["total"]), bold=True, height=2),
        Rule(),
        Text(f"계산대에서 {deadline} 까지 결제해 주세요", align="center", bold=True),
        Text(f"Pay at a cashier before {deadline}", align="center"),
        Feed(1),
        Text("영수증이 아닙니다 / Not a receipt", align="center"),
    ]
    return Layout(blocks, paper=columns)


def demo_ticket(hall: Mapping[str, Any], ticket: Mapping[str, Any], columns: int = 48) -> Layout:
    """A ticket for a booked demo slot, with the QR the booth scans and its code to read and type."""
    start, end = datetime.fromisoformat(ticket["slot_start"]), datetime.fromisoformat(ticket["slot_end"])
    blocks: list[Block] = _hall_title(hall)
    blocks += [
        Text("체험 예약권", align="center", bold=True, width=2, height=2),
        Text("DEMO TICKET", align="center", bold=True),
        Rule(),
        Text(ticket["demo_name"], align="center", bold=True, height=2),
        Text(ticket.get("demo_name_en") or "", align="center"),
        Rule(),
        pair("부스 Booth", ticket["booth"], bold=True),
        pair("날짜 Date", start.strftime("%Y-%m-%d")),
        pair("시간 Time", f"{start:%H:%M} - {end:%H:%M}", bold=True),
        pair("인원 Party", f"{ticket['party_size']}명"),
        Feed(1),
        QR(ticket["qr_payload"], size=7),
        Text("티켓 코드 Ticket code", align="center"),
        # The same code the kiosk showed and the door lists; jobs queued before it had one name say short_code.
        Text(ticket.get("code") or ticket["short_code"], align="center", bold=True, width=2, height=2),
        Feed(1),
        Text("부스에서 QR이나 코드를 보여주세요", align="center"),
        Text("Show the QR or the code at the booth", align="center"),
    ]
    return Layout(blocks, paper=columns)


def _count_amount(value) -> str:
    if isinstance(value, Mapping):
        return f"{value.get('count', 0)}건  {won(value.get('amount', 0))}"
    return won(value)


# The drawer's arithmetic in the words the till's screen and the shifts export use too (tests check all three).
SHIFT_CASH_WORDS = {
    "float": "시재금",
    "cash_sales": "현금 매출",
    "cash_refunds": "현금 환불",
    "unbooked_cash": "보류된 오프라인 판매 현금",
    "expected_cash": "예상 현금",
    "counted_cash": "실제 현금",
    "difference": "차액",
    "over": "과잉",
    "short": "부족",
    "even": "일치",
}


def signed_difference(difference: int) -> str:
    """+12,000원 (과잉) / -8,000원 (부족) / 0원 (일치): a shortage must never read like an amount on hand."""
    kind = "over" if difference > 0 else "short" if difference < 0 else "even"
    return f"{'+' if difference > 0 else ''}{won(difference)} ({SHIFT_CASH_WORDS[kind]})"


def _drawer_rows(report: Mapping[str, Any]) -> list[Block]:
    words = SHIFT_CASH_WORDS
    rows: list[Block] = [
        pair(words["float"], won(report["float"])),
        pair("+ " + words["cash_sales"], won(report.get("cash_sales", (report.get("by_method") or {}).get("cash", 0)))),
        pair("- " + words["cash_refunds"], won(report.get("cash_refunds", 0))),
    ]
    unbooked = report.get("unbooked") or {}
    if unbooked.get("cash"):
        rows.append(pair(f"+ {words['unbooked_cash']} ({unbooked['count']}건)", won(unbooked["cash"])))
    rows += [
        pair("= " + words["expected_cash"], won(report["expected_cash"]), bold=True),
        pair(words["counted_cash"], won(report["counted_cash"])),
        pair(words["difference"], signed_difference(report["difference"]), bold=True, height=2),
    ]
    return rows


def shift_report(hall: Mapping[str, Any], report: Mapping[str, Any], columns: int = 48) -> Layout:
    """A cashier's Z report: sales by method, refunds, voids and the cash count."""
    by_method = report.get("by_method") or {}
    cash, card = by_method.get("cash", 0), by_method.get("card", 0)
    blocks: list[Block] = _hall_title(hall)
    blocks += [
        Text("마감 정산 (Z)", align="center", bold=True, width=2, height=2),
        Text("SHIFT REPORT", align="center", bold=True),
        Rule(),
        pair("단말기", report["terminal"]),
        pair("계산원", report["cashier"]),
        pair("개시", _when(report["opened_at"])),
        pair("마감", _when(report["closed_at"])),
        Rule(),
        pair("판매 건수", f"{report['sales_count']}건"),
        pair("현금", won(cash)),
        pair("카드", won(card)),
        pair("매출 합계", won(cash + card), bold=True),
        pair("환불", _count_amount(report.get("refunds", 0))),
        pair("취소", _count_amount(report.get("voids", 0))),
        Rule(),
        *_drawer_rows(report),
        Rule(),
        Feed(2),
        Text("확인 서명: ______________________"),
    ]
    return Layout(blocks, paper=columns)


PAYMENT_WORDS = {"cash": "현금", "card": "카드"}


def day_report(hall: Mapping[str, Any], report: Mapping[str, Any], columns: int = 48) -> Layout:
    """The day close (일 마감 정산): the day's money for the accountant, sealed by the digest of its events."""
    tax, receipts, offline = report["tax"], report["cash_receipts"], report["offline"]
    blocks: list[Block] = _hall_title(hall)
    blocks += [
        Text("일 마감 정산", align="center", bold=True, width=2, height=2),
        Text("DAY CLOSE", align="center", bold=True),
        Rule(),
        pair("영업일", report["day"], bold=True),
        *_business_lines(hall),
        Rule(),
        pair(f"매출 ({report['sales']}건)", won(report["gross"])),
        pair(f"환불·취소 ({report['refund_count']}건)", won(-report["refunds"])),
        pair("순매출", won(report["net"]), bold=True, height=2),
        Rule(),
    ]
    for method, figures in report["by_method"].items():
        blocks.append(pair(f"{PAYMENT_WORDS.get(method, method)} 순액", won(figures["net"])))
        blocks.append(pair("  받음 / 환불", f"{amount(figures['taken'])} / {amount(-figures['refunded'])}"))
    blocks += [
        Rule(),
        pair("과세물품가액", won(tax["taxable"])),
        pair("  공급가액", won(tax["supply"])),
        pair("  부가세", won(tax["vat"])),
        pair("면세물품가액", won(tax["tax_free"])),
        Rule(),
        pair(f"현금영수증 ({receipts['count']}건, 취소 {receipts['cancelled']}건)", won(receipts["amount"])),
        pair(f"오프라인 판매 ({offline['sales']}건)", won(offline["amount"])),
        pair("  다른 가격으로 판 판매", f"{offline['repriced']}건"),
        pair("  재고 불일치 (초과 판매)", f"{len(offline['discrepancies'])}건"),
    ]
    if offline["unbooked"]["count"]:
        blocks.append(pair(f"  보류된 판매 ({offline['unbooked']['count']}건) 현금", won(offline["unbooked"]["cash"])))
    blocks += [Rule(), Text("업체별 정산 (순매출)", bold=True)]
    for firm in report["firms"]:
        blocks.append(pair(f"{firm['booth'] or ''} {firm['firm']}".strip(), won(firm["net"])))
    blocks += [Rule(), Text("계산대별 현금 차액", bold=True)]
    for drawer in report["drawers"]:
        blocks.append(pair(f"{drawer['terminal']} {drawer['cashier']} {_hhmm(drawer['closed_at'])}",
                           signed_difference(drawer["difference"])))
    if not report["drawers"]:
        blocks.append(Text("마감된 근무 없음"))
    for shift in report["open_shifts"]:
        blocks.append(pair(f"미마감: {shift['terminal']} {shift['cashier_id']}", _when(shift["opened_at"])))
    seal = report.get("seal")
    if seal:
        blocks += [Rule(), Text(f"봉인 {seal['algorithm'].upper()} (이벤트 {seal['events']}개)", bold=True)]
        # The whole digest, in lines the paper fits: a shortened one could not be checked.
        width = max(columns - 2, 16)
        blocks += [Text(seal["digest"][i:i + width]) for i in range(0, len(seal["digest"]), width)]
        blocks.append(pair("마감", f"{_when(seal['closed_at'])} {seal['closed_by']}"))
    blocks += [Feed(2), Text("확인 서명: ______________________")]
    return Layout(blocks, paper=columns)
