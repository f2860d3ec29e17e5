"""Layout blocks as data, and how they compose into printed lines."""
import pytest

from printers.compose import Line, compose, unprintable
from printers.korean import text_width
from printers.layout import QR, Columns, Cut, Feed, Layout, Rule, Text, pair
from printers.profile import PrinterProfile


def lines(layout: Layout) -> list[str]:
    return [item.text for item in compose(layout) if isinstance(item, Line)]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Text("x", align="middle"),
        lambda: Text("x", width=0),
        lambda: Text("x", height=9),
        lambda: Text("x", width=True),
        lambda: Text(123),
        lambda: Columns(()),
        lambda: Columns(("a", "b"), widths=(3,)),
        lambda: Columns(("a", "b"), widths=(0, 0)),
        lambda: Columns(("a", "b"), widths=(-1, 3)),
        lambda: Columns(("a", "b"), aligns=("left", "up")),
        lambda: Columns(("a", 1)),
        lambda: Rule("=="),
        lambda: Rule("가"),
        lambda: Rule(" "),
        lambda: QR(""),
        lambda: QR("x", size=0),
        lambda: QR("x", size=17),
        lambda: Feed(-1),
        lambda: Layout([Text("x")], paper=8),
        lambda: Layout(["text"]),
        lambda: Layout([Columns(("a", "b"), widths=(40, 10))]),
        lambda: Layout([Columns(("a", "b"), widths=(0, 47))]),
        lambda: Layout([Columns(("a", "b"), widths=(10, 10), width=3)], paper=48),
        lambda: PrinterProfile(korean="bitmap"),
        lambda: PrinterProfile(cut="half"),
        lambda: PrinterProfile(columns=10),
        lambda: PrinterProfile(native_qr="yes"),
    ],
)
def test_bad_blocks_are_refused(make):
    with pytest.raises((ValueError, TypeError)):
        make()


def test_blocks_are_frozen_and_hashable():
    layout = Layout([Text("a"), Columns(["a", "b"]), Rule(), QR("q"), Feed(), Cut()])
    assert isinstance(layout.blocks, tuple) and isinstance(layout.blocks[1].cells, tuple)
    assert hash(layout) == hash(Layout((Text("a"), Columns(("a", "b")), Rule(), QR("q"), Feed(), Cut())))
    with pytest.raises(AttributeError):
        layout.blocks[0].text = "b"


@pytest.mark.parametrize("align, expected", [("left", "영수증"), ("center", " " * 5 + "영수증"), ("right", " " * 10 + "영수증")])
def test_text_alignment_in_cells(align, expected):
    assert lines(Layout([Text("영수증", align=align)], paper=16)) == [expected]


def test_double_width_halves_the_budget():
    assert lines(Layout([Text("영수증", align="center", width=2)], paper=16)) == [" 영수증"]


def test_pair_puts_the_value_flush_right():
    assert lines(Layout([pair("합계", "12,000원")], paper=32)) == ["합계" + " " * 20 + "12,000원"]


def test_item_columns_wrap_the_name_and_keep_numbers_aligned():
    row = Columns(("전통 한과 선물세트 (대)", "1", "35,000", "35,000"), widths=(0, 4, 9, 10))
    assert lines(Layout([row])) == [
        "전통 한과 선물세트        1    35,000     35,000",
        "(대)",
    ]


@pytest.mark.parametrize("paper", [32, 48])
def test_no_line_is_wider_than_the_paper(paper):
    long = "가나다라마바사 " * 12
    layout = Layout([Text(long), Text(long, width=2), pair(long, long), Columns((long, "1", long), widths=(0, 3, 8)),
                     Rule()], paper=paper)
    for item in compose(layout):
        assert text_width(item.text) * item.width <= paper


def test_rule_and_feed():
    assert lines(Layout([Rule("="), Feed(2)], paper=20)) == ["=" * 20, "", ""]


def test_qr_and_cut_pass_through():
    assert compose(Layout([QR("q", size=4), Cut(partial=True)])) == (QR("q", size=4), Cut(partial=True))


def test_unprintable_lists_each_character_once():
    assert unprintable(Layout([Text("☕ ok"), pair("☕", "🎉"), QR("☕")])) == ("☕", "🎉")


def test_profile_from_config_takes_only_its_keys():
    profile = PrinterProfile.from_config({"type": "network", "host": "10.0.0.9", "columns": 32, "korean": "raster"})
    assert profile == PrinterProfile(columns=32, korean="raster")
