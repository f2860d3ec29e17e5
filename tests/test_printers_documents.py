"""The hall's documents built from plain dicts."""
import copy

import pytest

from printers import documents
from printers.compose import Line, compose, unprintable
from printers.korean import text_width
from printers.layout import QR, Text
from printers.samples import HALL, HOLD, REPORT, SALE, TICKET


def text_of(layout) -> list[str]:
    return [item.text for item in compose(layout) if isinstance(item, Line)]


def qr_of(layout) -> list[str]:
    return [item.payload for item in compose(layout) if isinstance(item, QR)]


def line_with(layout, start: str) -> str:
    return next(line for line in text_of(layout) if line.strip().startswith(start))


@pytest.mark.parametrize("value, text", [(0, "0원"), (900, "900원"), (12000, "12,000원"), (-47000, "-47,000원"),
                                         (1234567, "1,234,567원")])
def test_won(value, text):
    assert documents.won(value) == text


@pytest.mark.parametrize("value", [1.5, "1000", None, True])
def test_amounts_are_whole_won(value):
    with pytest.raises(TypeError):
        documents.won(value)


def test_receipt_has_every_label():
    text = "\n".join(text_of(documents.receipt(HALL, SALE)))
    for label in ["영수증", "사업자등록번호: 123-45-67890", "대표: 김하늘", "주소:", "전화: 02-6000-0114",
                  "단말기: POS-03", "계산원: 이서연", "일시: 2025-05-14 14:32:05", "영수증번호: 250514-00042",
                  "상품명", "수량", "단가", "금액", "합계", "면세물품가액", "과세물품가액", "공급가액", "부가세",
                  "현금", "받은금액", "거스름돈", "카드 (신한카드)", "9410-12**-****-3381", "승인번호", "30518277",
                  "교환·환불은 7일 이내", "Thank you!"]:
        assert label in text, label
    assert "재발행" not in text and "환불 영수증" not in text


def test_receipt_amounts_are_flush_right():
    layout = documents.receipt(HALL, SALE)
    for start, value in [("합계", "100,400원"), ("면세물품가액", "24,000원"), ("부가세", "6,945원"), ("거스름돈", "10,000원")]:
        line = line_with(layout, start)
        assert line.endswith(value)
        assert text_width(line) == 48


def test_tax_free_items_are_marked():
    text = text_of(documents.receipt(HALL, SALE))
    assert any(line.startswith("*유기농 신고배 2kg") for line in text)
    assert "* 표시 상품은 면세물품입니다." in text
    assert not any(line.startswith("*전통") for line in text)


def test_receipt_qr_is_the_receipt_number():
    assert qr_of(documents.receipt(HALL, SALE)) == ["RCPT:250514-00042"]


def test_reprint_banner():
    assert "재발행 / REPRINT" in "\n".join(text_of(documents.receipt(HALL, SALE, reprint=True)))


@pytest.mark.parametrize("stored_sign", [1, -1])
def test_refund_receipt_shows_negative_amounts(stored_sign):
    sale = copy.deepcopy(SALE)
    if stored_sign < 0:  # the hub may store a refund with negative amounts already
        for key in ("total", "taxable_total", "tax_free_total", "supply", "vat"):
            sale[key] = -sale[key]
    sale["original_receipt_no"] = "250514-00017"
    layout = documents.receipt(HALL, sale, refund=True)
    text = "\n".join(text_of(layout))
    assert "환불 영수증" in text and "REFUND" in text
    assert line_with(layout, "환불합계").endswith("-100,400원")
    assert line_with(layout, "부가세").endswith("-6,945원")
    assert line_with(layout, "현금 환불").endswith("-50,000원")
    assert line_with(layout, "카드 승인취소").endswith("-50,400원")
    assert "원영수증번호: 250514-00017" in text
    assert "받은금액" not in text
    assert qr_of(layout) == ["RCPT:250514-00042"]


def test_sale_level_change_is_shown_when_no_cash_line_shows_it():
    sale = dict(SALE, payments=[{"method": "cash", "amount": 100400}], change=9600)
    assert line_with(documents.receipt(HALL, sale), "거스름돈").endswith("9,600원")


def test_unknown_payment_method_is_refused():
    with pytest.raises(ValueError, match="method"):
        documents.receipt(HALL, dict(SALE, payments=[{"method": "coupon", "amount": 1}]))


def test_narrow_receipt_puts_numbers_under_the_name():
    text = text_of(documents.receipt(HALL, SALE, columns=32))
    i = text.index("전통 한과 선물세트 (대)")
    assert text[i + 1] == "  1 x 35,000" + " " * 14 + "35,000"


def test_order_slip():
    layout = documents.order_slip(HALL, HOLD)
    text = "\n".join(text_of(layout))
    assert qr_of(layout) == ["HOLD:K7-482"]
    code = next(b for b in layout.blocks if isinstance(b, Text) and b.text == "K7-482")
    assert (code.width, code.height, code.bold) == (3, 3, True)
    assert "계산대에서 14:50 까지 결제해 주세요" in text
    assert "Pay at a cashier before 14:50" in text
    assert line_with(layout, "합계").endswith("66,800원")
    assert "수제 유자청 500g" in text


def test_demo_ticket():
    layout = documents.demo_ticket(HALL, TICKET)
    text = "\n".join(text_of(layout))
    assert qr_of(layout) == [TICKET["qr_payload"]]
    for part in ["체험 예약권", "김치 담그기 체험", "Make Your Own Kimchi", "C-12", "2025-05-14", "15:00 - 15:30", "2명",
                 "Ticket code"]:
        assert part in text, part
    code = next(b for b in layout.blocks if isinstance(b, Text) and b.text == "YWQ4R7JW")
    assert code.bold and code.width == 2


def test_a_demo_ticket_queued_before_codes_were_one_still_prints_its_code():
    older = {k: v for k, v in TICKET.items() if k != "code"} | {"short_code": "ACDE4679"}
    assert "ACDE4679" in "\n".join(text_of(documents.demo_ticket(HALL, older)))


@pytest.mark.parametrize("difference, shown", [(-1000, "-1,000원 (부족)"), (500, "+500원 (과잉)"), (0, "0원 (일치)")])
def test_shift_report_difference_is_signed(difference, shown):
    layout = documents.shift_report(HALL, dict(REPORT, difference=difference))
    assert line_with(layout, "차액").endswith(shown)


def test_shift_report():
    layout = documents.shift_report(HALL, REPORT)
    text = "\n".join(text_of(layout))
    for part in ["마감 정산 (Z)", "POS-03", "2025-05-14 09:30:00", "2025-05-14 18:05:12", "187건", "1,843,500원",
                 "6,120,900원", "7,964,400원", "2건  47,000원", "1건  12,000원", "200,000원", "1,996,500원",
                 "1,995,500원", "확인 서명"]:
        assert part in text, part


def test_shift_report_takes_plain_amounts_for_refunds_and_voids():
    layout = documents.shift_report(HALL, dict(REPORT, refunds=47000, voids=0))
    assert line_with(layout, "환불").endswith("47,000원")


ALL = [
    lambda c: documents.receipt(HALL, SALE, columns=c),
    lambda c: documents.receipt(HALL, SALE, reprint=True, refund=True, columns=c),
    lambda c: documents.order_slip(HALL, HOLD, columns=c),
    lambda c: documents.demo_ticket(HALL, TICKET, columns=c),
    lambda c: documents.shift_report(HALL, REPORT, columns=c),
]


@pytest.mark.parametrize("build", ALL)
@pytest.mark.parametrize("columns", [48, 32])
def test_documents_fit_the_paper_and_print_in_cp949(build, columns):
    layout = build(columns)
    assert layout.paper == columns
    assert unprintable(layout) == ()
    for item in compose(layout):
        if isinstance(item, Line):
            assert text_width(item.text) * item.width <= columns
            item.text.encode("cp949")
