"""The till's shelf: before a search, the best sellers (by units sold, from the hub) as touch tiles."""
import uuid

from playwright.sync_api import expect

from tests.test_pos_support import open_till, scan, till_hub  # noqa: F401 (till_hub is a fixture)


def sell(client, sku: str, qty: int, price: int) -> None:
    answer = client.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": sku, "qty": qty}],
                                      "payments": [{"method": "cash", "amount": qty * price}]})
    assert answer["ok"], answer


def test_the_hub_ranks_products_by_units_sold(till_hub, clients):
    till = clients(till_hub.client("pos", "pos-2"))
    assert till.call("best_sellers", {}) == {"ok": True, "products": []}
    sell(till, "RICE", 2, 12000)
    sell(till, "PEN", 3, 1100)
    sell(till, "PEN", 2, 1100)
    sell(till, "ROBOT", 2, 55000)
    assert till.call("best_sellers", {})["products"] == [{"sku": "PEN", "units": 5}, {"sku": "RICE", "units": 2},
                                                         {"sku": "ROBOT", "units": 2}]
    assert till.call("best_sellers", {"limit": 1})["products"] == [{"sku": "PEN", "units": 5}]
    for bad in (0, 61, "5", True):
        refused = till.call("best_sellers", {"limit": bad})
        assert refused["error"]["code"] == "invalid" and refused["error"]["field"] == "limit", bad
    kiosk = clients(till_hub.client("kiosk", "kiosk-1"))
    assert kiosk.call("best_sellers", {})["error"]["code"] == "forbidden"


def test_before_a_search_the_shelf_shows_the_best_sellers_and_a_tap_adds_one(till_hub, context, clients):
    other_till = clients(till_hub.client("pos", "pos-2"))
    page = open_till(context, till_hub)
    shelf = page.locator("#shelf-tiles .tile")
    # Nothing sold yet: what is in stock, in catalog order; the sold-out product is not offered.
    expect(page.locator("#shelf-title")).to_have_text("상품 · 눌러서 담기")
    expect(shelf).to_have_count(4)
    expect(page.locator("#shelf-tiles .tile[data-sku=GONE]")).to_have_count(0)
    expect(page.locator("#results")).to_be_hidden()

    sell(other_till, "PEN", 30, 1100)
    sell(other_till, "RICE", 2, 12000)
    page.reload()  # the link comes up again and the till asks for the ranking
    expect(page.locator("#shelf-title")).to_have_text("많이 팔린 상품 · 눌러서 담기")
    expect(shelf.first).to_have_attribute("data-sku", "PEN")
    expect(shelf.first).to_contain_text("30개 팔림")
    expect(shelf.first).to_contain_text("1,100원")
    expect(shelf.nth(1)).to_have_attribute("data-sku", "RICE")

    shelf.first.click()
    expect(page.locator("#cart-lines li[data-sku=PEN] .qty-input")).to_have_value("1")

    page.fill("#search-input", "로봇")
    expect(page.locator("#shelf")).to_be_hidden()
    expect(page.locator("#results .vlist-row")).to_have_count(1)
    page.fill("#search-input", "")
    expect(page.locator("#shelf")).to_be_visible()

    # A best seller that sells out stays on the shelf, last and marked, while the till watches.
    sell(other_till, "RICE", 48, 12000)
    expect(page.locator("#shelf-tiles .tile[data-sku=RICE] .tile-stock")).to_have_attribute("data-kind", "out")
    page.click("#lang-btn")
    expect(page.locator("#shelf-title")).to_have_text("Best sellers · tap to add")
    expect(shelf.first).to_contain_text("30 sold")


def test_units_sold_are_read_from_the_index_alone(till_hub):
    # Every till asks every few minutes: the ranking must not read each sale line's row (a third of a second
    # of the hub's loop at 60,000 lines, against a few milliseconds from the index).
    from hub.rules import reports
    store = till_hub.read_store()
    try:
        db = store.read_db
        asked = []
        db.conn.set_trace_callback(asked.append)
        reports.best_sellers(db, 24)
        db.conn.set_trace_callback(None)
        [query] = [sql for sql in asked if "sale_lines" in sql]
        plan = " ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + query))
    finally:
        store.close()
    assert "COVERING INDEX sale_lines_sku_qty" in plan, plan
