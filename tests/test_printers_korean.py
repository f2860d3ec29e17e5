"""Printer cells, padding, truncation, wrapping and CP949 for mixed Hangul/ASCII."""
import pytest

from printers.korean import cell_width, encode_cp949, pad, text_width, to_printable, truncate, wrap

MIXED = [
    "",
    "A",
    "가",
    "영수증",
    "Jeju Green Tea 녹차 티백 50입",
    "전통 한과 선물세트 (대)",
    "*유기농 신고배 2kg",
    "교환·환불은 7일 이내",
    "가a나b다c라d마e바f사g아h자i차j카k타l파m하n",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz",
    "가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다라마바사아자차카타파하",
    "김치 담그기 체험 Make Your Own Kimchi 김치 담그기 체험 Make Your Own Kimchi",
]


@pytest.mark.parametrize(
    "ch, cells",
    [("A", 1), (" ", 1), ("0", 1), ("가", 2), ("힣", 2), ("ㄱ", 2), ("漢", 2), ("·", 2), ("※", 2),
     ("￦", 2), ("\u0301", 0), ("\u200d", 0)],
)
def test_cell_width(ch, cells):
    assert cell_width(ch) == cells


@pytest.mark.parametrize("text, cells", [("", 0), ("abc", 3), ("영수증", 6), ("합계 12,000원", 13), ("2kg 배", 6)])
def test_text_width(text, cells):
    assert text_width(text) == cells


def test_every_cp949_character_takes_as_many_cells_as_bytes():
    # The printer prints a double-byte code two cells wide: cells must equal bytes.
    for text in MIXED:
        assert text_width(text) == len(text.encode("cp949"))


@pytest.mark.parametrize("text", MIXED)
@pytest.mark.parametrize("cells", [0, 1, 2, 3, 5, 7, 10, 13, 31, 32, 47, 48])
def test_truncate_never_splits_or_overflows(text, cells):
    cut = truncate(text, cells)
    assert text.startswith(cut)
    assert text_width(cut) <= cells
    # Nothing more would have fitted: the next character is wider than what is left.
    if cut != text:
        assert text_width(cut) + cell_width(text[len(cut)]) > cells


@pytest.mark.parametrize("text", MIXED)
@pytest.mark.parametrize("cells", [1, 4, 9, 32, 48])
@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_pad_is_exactly_the_budget(text, cells, align):
    padded = pad(text, cells, align)
    assert text_width(padded) == cells
    assert truncate(text, cells) in padded


@pytest.mark.parametrize("align, expected", [("left", "합계  "), ("right", "  합계"), ("center", " 합계 ")])
def test_pad_alignment(align, expected):
    assert pad("합계", 6, align) == expected


def test_pad_odd_budget_drops_a_wide_character_that_does_not_fit():
    assert pad("가나다", 5) == "가나 "


@pytest.mark.parametrize("text", MIXED)
@pytest.mark.parametrize("cells", [2, 3, 7, 16, 32, 48])
def test_wrap_fits_and_keeps_every_character(text, cells):
    lines = wrap(text, cells)
    assert all(text_width(line) <= cells for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_breaks_at_spaces():
    assert wrap("전통 한과 선물세트 (대)", 22) == ["전통 한과 선물세트", "(대)"]


def test_wrap_keeps_indent_and_paragraphs():
    assert wrap("  받은금액\n\n끝", 20) == ["  받은금액", "", "끝"]


@pytest.mark.parametrize("cells", [0, 1, -3])
def test_wrap_rejects_a_budget_too_narrow_for_hangul(cells):
    with pytest.raises(ValueError):
        wrap("가", cells)


@pytest.mark.parametrize(
    "text, printable",
    [
        ("₩12,000", "￦12,000"),  # U+20A9 is not in CP949; the full-width won sign is
        ("café", "cafe"),
        ("e\u0301", "e"),  # decomposed accent
        ("\u1100\u1161\u11a8", "각"),  # decomposed Hangul composes
        ("a\u00a0b", "a b"),
        ("9–12시", "9-12시"),
        ("A\x1b@B", "A@B"),  # an ESC inside a product name must never reach the printer
        ("줄\n바꿈", "줄\n바꿈"),
    ],
)
def test_to_printable_finds_a_stand_in(text, printable):
    assert to_printable(text) == (printable, ())


@pytest.mark.parametrize("text, printable, replaced", [("커피☕", "커피?", ("☕",)), ("😀 ok 🎉", "? ok ?", ("😀", "🎉"))])
def test_question_mark_only_as_last_resort_and_reported(text, printable, replaced):
    assert to_printable(text) == (printable, replaced)


def test_encode_cp949():
    assert encode_cp949("영수증 OK") == (b"\xbf\xb5\xbc\xf6\xc1\xf5 OK", ())
    assert encode_cp949("₩") == ("￦".encode("cp949"), ())
    assert encode_cp949("☕") == (b"?", ("☕",))
