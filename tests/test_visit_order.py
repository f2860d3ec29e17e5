"""A visitor's phone finds a product (초성 too), sees its stock move live when a till sells it, orders for
payment at a cashier, and shows the order paid once the till sells its code; refused and unsent orders say so."""
from playwright.sync_api import expect

from tests.pages import lose_first_ack, wait_until
from tests.test_visit_support import (STEP_MS, Phone, made_by, open_phone, phone_context, sale,  # noqa: F401
                                      shared_visit_hub, visit_hub, visitor_of)


def test_a_visitor_finds_a_product_by_its_initials(shared_visit_hub, phone_context):
    phone = open_phone(shared_visit_hub, phone_context).search("ㄹㅂ ㅋㅌ")
    expect(phone.page.locator("#result-count")).to_have_text("“ㄹㅂ ㅋㅌ” 검색 결과 1개", timeout=STEP_MS)
    assert phone.shown_skus() == {"ROBOT"}
    expect(phone.card("ROBOT")).to_contain_text("교육용 로봇 키트")
    phone.search("하늘")  # a firm's name finds its products
    expect(phone.page.locator("#result-count")).to_have_text("“하늘” 검색 결과 1개", timeout=STEP_MS)
    assert phone.shown_skus() == {"LAST"}


def test_the_stock_on_screen_changes_live_when_a_till_sells(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context).search("로봇 키트")
    stock = phone.card("ROBOT").locator(".card-stock")
    expect(stock).to_have_text("재고 10개", timeout=STEP_MS)
    till = clients(visit_hub.client("pos", "pos-1"))
    assert till.call("checkout", sale("ROBOT", 3, 55000))["ok"] is True
    expect(stock).to_have_text("재고 7개", timeout=STEP_MS)
    till.call("checkout", sale("ROBOT", 3, 55000))
    expect(stock).to_have_text("4개 남음", timeout=STEP_MS)


def test_an_order_sold_at_a_till_shows_paid_on_the_phone(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context).search("로봇 키트")
    expect(phone.card("ROBOT").locator(".card-stock")).to_have_text("재고 10개", timeout=STEP_MS)
    phone.add("ROBOT", 2)
    expect(phone.page.locator("#cart-count")).to_have_text("2개")
    code = phone.order()
    page = phone.page
    expect(page.locator("#order-qr")).to_have_attribute("alt", f"주문 코드 {code}의 QR")
    wait_until(page, "document.getElementById('order-qr').naturalWidth > 0", timeout=STEP_MS)
    expect(page.locator("#order-countdown")).to_contain_text("남은 시간 1")
    expect(page.locator("#order-total")).to_have_text("110,000원")
    till = clients(visit_hub.client("pos", "pos-1"))
    hold = till.call("hold_lookup", {"code": code})["hold"]
    assert hold["status"] == "active" and [(l["sku"], l["qty"]) for l in hold["lines"]] == [("ROBOT", 2)]
    answer = till.call("checkout", sale("ROBOT", 2, 55000, hold_code=code))
    assert answer["ok"] is True, answer
    expect(page.locator("#order-view")).to_have_attribute("data-status", "paid", timeout=STEP_MS)
    expect(page.locator("#order-title")).to_have_text("결제 완료")
    expect(page.locator("#order-qr")).to_be_hidden()
    phone.go("/mine")
    expect(page.locator(f'#mine-orders .mine-item[data-code="{code}"] .mine-status')).to_have_text("결제 완료")


def test_a_phone_that_was_away_reads_its_order_paid_when_it_comes_back(visit_hub, phone_context, clients):
    phone = open_phone(visit_hub, phone_context).search("볼펜")
    phone.add("PEN")
    code = phone.order()
    phone.page.close()  # the visitor locks the phone; the till sells the code meanwhile
    till = clients(visit_hub.client("pos", "pos-1"))
    assert till.call("checkout", sale("PEN", 1, 1100, hold_code=code))["ok"] is True
    again = open_phone(visit_hub, phone_context).go(f"/order/{code}")
    expect(again.page.locator("#order-view")).to_have_attribute("data-status", "paid", timeout=STEP_MS)


def test_a_second_open_order_is_refused_in_korean_and_nothing_is_held(visit_hub, phone_context):
    phone = open_phone(visit_hub, phone_context).search("볼펜")
    phone.add("PEN")
    phone.order()
    phone.search("볼펜").add("PEN")
    phone.go("/cart")
    phone.page.locator("#order-btn").click()
    expect(phone.page.locator("#cart-error")).to_have_text(
        "결제를 기다리는 주문은 1개까지입니다. 먼저 계산대에서 결제하거나 주문을 취소하세요.", timeout=STEP_MS)
    assert made_by(visit_hub, "holds", visitor_of(phone.page)) == 1
    assert phone.page.locator("#cart-lines .cart-line").count() == 1  # the cart is kept to order later


def test_too_many_of_one_product_is_refused_with_the_limit(visit_hub, phone_context):
    phone = open_phone(visit_hub, phone_context).search("볼펜")
    expect(phone.card("PEN").locator(".card-stock")).to_have_text("재고 500개", timeout=STEP_MS)
    phone.add("PEN", 6)
    phone.go("/cart")
    phone.page.locator("#order-btn").click()
    expect(phone.page.locator("#cart-error")).to_have_text("한 상품은 한 번에 5개까지 주문할 수 있습니다.",
                                                           timeout=STEP_MS)
    assert made_by(visit_hub, "holds", visitor_of(phone.page)) == 0


def test_an_order_whose_answer_was_lost_is_sent_again_with_the_same_hold_id(visit_hub, phone_context):
    page = phone_context.new_page()
    dropped = lose_first_ack(page, '"hold_id"')
    phone = Phone(page, visit_hub).open().wait_live().search("볼펜")
    phone.add("PEN", 2)
    phone.go("/cart")
    page.locator("#order-btn").click()
    expect(page.locator("#cart-error")).to_contain_text("보내지 못했습니다", timeout=15_000)
    assert dropped
    # Until the hub has answered, the order on its way is the cart: it cannot change under it.
    phone.go("/product/PEN")
    page.locator("#product-add").click()
    expect(page.locator("#product-added")).to_contain_text("장바구니를 바꿀 수 없습니다")
    phone.go("/cart")
    expect(page.locator("#order-btn")).to_have_text("지금 다시 보내기")
    expect(page.locator('#cart-lines .cart-line[data-sku="PEN"] .qty-value')).to_have_text("2")
    page.locator("#order-btn").click()
    expect(page.locator("#order-view")).to_have_attribute("data-status", "waiting", timeout=STEP_MS)
    assert made_by(visit_hub, "holds", visitor_of(phone.page)) == 1
