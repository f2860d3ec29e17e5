"""The firms' CSV is untrusted: one bad row imports nothing and names its line."""
from collections import Counter
from pathlib import Path

import pytest

from hub.rules import catalog
from hub.errors import HallError
from hub.store import Store
from tests.conftest import NOON, TEST_CATALOG

ROOT = Path(__file__).resolve().parent.parent
HEADER = TEST_CATALOG.splitlines()[0]
GOOD_ROW = TEST_CATALOG.splitlines()[1]


def with_row(row: str) -> str:
    return "\n".join([HEADER, GOOD_ROW, row]) + "\n"


@pytest.mark.parametrize("row, problem", [
    ("X1,8801234567894,이름,Name,회사,Firm,A-1,robot,1000,5,0,", "not a valid EAN-13"),
    ("X1,880123456789,이름,Name,회사,Firm,A-1,robot,1000,5,0,", "not a valid EAN-13"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,robot,-1000,5,0,", "price"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,robot,10.50,5,0,", "price"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,lots,0,", "stock"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,5,yes,", "tax_free"),
    ("X1,8801234567800,,Name,회사,Firm,A-1,robot,1000,5,0,", "name is empty"),
    ("X1,8801234567800,이름,Name,회사,Firm,<b>,robot,1000,5,0,", "booth"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,Robots & AI,1000,5,0,", "category"),
    ("X 1,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,5,0,", "sku"),
    ("ROBOT,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,5,0,", "sku ROBOT repeats line 2"),
    ("X1,8801234567893,이름,Name,회사,Firm,A-1,robot,1000,5,0,", "barcode 8801234567893 repeats line 2"),
    ("X1,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,5,0,,extra", "more fields"),
    ("X1,8801234567800,이름,Name", "missing column"),
    ('X1,8801234567800,"이름\x07",Name,회사,Firm,A-1,robot,1000,5,0,', "control characters"),
    ("X1,8801234567800," + "가" * 121 + ",Name,회사,Firm,A-1,robot,1000,5,0,", "longer than"),
])
def test_bad_row_is_refused_with_its_line_number(row, problem):
    with pytest.raises(HallError) as refused:
        catalog.parse_catalog(with_row(row))
    assert refused.value.code == "catalog_invalid"
    assert refused.value.details["errors"][0]["line"] == 3
    assert problem in refused.value.details["errors"][0]["problem"]
    assert "line 3" in refused.value.message


def test_missing_column_in_the_header_is_line_one():
    with pytest.raises(HallError) as refused:
        catalog.parse_catalog("sku,name\nA,B\n")
    assert refused.value.details["errors"][0]["line"] == 1


def test_a_bad_row_imports_nothing(tmp_path):
    store = Store(tmp_path / "hall.db")
    with pytest.raises(HallError):
        store.run(lambda db, now: catalog.load_catalog(
            db, catalog.parse_catalog(with_row("bad,row")), now=now, source="x"), now=NOON)
    assert store.db.execute("SELECT count(*) FROM products").fetchone()[0] == 0
    assert store.head() == 0


def test_markup_in_names_is_kept_as_text_for_the_screens_to_escape():
    row = 'X1,8801234567800,"<script>alert(1)</script>",Name,회사,Firm,A-1,robot,1000,5,0,'
    products = catalog.parse_catalog(with_row(row))
    assert products[1]["name"] == "<script>alert(1)</script>"


def test_loading_twice_is_refused(store):
    with pytest.raises(HallError) as refused:
        store.run(catalog.load_catalog, catalog.parse_catalog(TEST_CATALOG), source="again", now=NOON)
    assert refused.value.code == "catalog_exists"


def test_starting_stock_is_in_the_event_log(store):
    loaded = store.events_since(0)[0]
    assert loaded["type"] == "catalog.loaded"
    assert loaded["data"]["stock"] == {"ROBOT": 10, "RICE": 50, "LAST": 3, "PEN": 500, "GONE": 0}


def test_demo_catalog_is_a_realistic_hall():
    text = (ROOT / "config" / "catalog.csv").read_text(encoding="utf-8")
    products = catalog.parse_catalog(text)
    firms = Counter(p["firm"] for p in products)
    assert len(products) >= 2000
    assert len(firms) >= 650
    assert any(p["tax_free"] for p in products)
    assert any(p["stock"] == 0 for p in products)
    assert sum(10 <= p["stock"] for p in products) > 0.9 * len(products)
    assert any("innovative-product" in p["tags"] for p in products)
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in p["name"]) for p in products)


def test_demo_catalog_generator_reproduces_the_committed_file(tmp_path):
    import subprocess
    import sys
    out = tmp_path / "catalog.csv"
    subprocess.run([sys.executable, str(ROOT / "config" / "make_catalog.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "config" / "catalog.csv").read_bytes()


@pytest.mark.parametrize("search, expected", [
    ("로봇", {"ROBOT"}), ("robot kit", {"ROBOT"}), ("한빛", {"ROBOT", "GONE"}),
    ("8801111111119", {"LAST"}), ("100%", set()), ("_", set()),
])
def test_product_search(store, search, expected):
    assert {p["sku"] for p in catalog.list_products(store.read_db, search=search)} == expected


def test_products_show_available_stock(store):
    listed = {p["sku"]: p for p in catalog.list_products(store.read_db, category="drone")}
    assert listed["LAST"]["available"] == 3
    assert listed["LAST"]["tags"] == ["ces-showcase"]
