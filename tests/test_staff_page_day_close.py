"""The staff screen's day close: the day's money in the screen's words, closed after one question, sealed."""
import re
import uuid

from tests.pages import wait_until
from tests.test_staff_page import WAIT_MS, no_errors, open_staff, sell


def test_staff_close_the_day_after_one_question_and_see_the_seal(hub, context, clients):
    pos = clients(hub.client("pos", "pos-1"))
    assert pos.call("shift_open", {"shift_id": str(uuid.uuid4()), "float": 100000})["ok"]  # left open
    sell(pos, "ROBOT", 2, 110000)
    page = open_staff(hub, context, panel="sales")
    wait_until(page, "document.querySelector('#day-body [data-field=net] dd')?.textContent === '110,000원'",
               timeout=WAIT_MS)
    assert "근무 1건: pos-1" in page.text_content("#day-body [data-field=open-shifts]")

    page.click("#day-close")
    assert "아직 마감하지 않은 근무가 1건" in page.text_content("#day-confirm-text")
    assert page.evaluate("document.activeElement.id") == "day-close-cancel"  # the safe choice first
    page.click("#day-close-cancel")
    assert page.locator("#day-confirm").is_hidden()
    assert hub.read_store().read_db.execute("SELECT count(*) FROM day_closes").fetchone() == (0,)

    page.click("#day-close")
    page.click("#day-close-confirm")
    seal = page.locator("#day-body [data-field=seal]")
    seal.wait_for(timeout=WAIT_MS)
    assert "기록이 봉인과 일치합니다" in seal.text_content()
    digest = page.text_content("#day-body code.digest")
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert page.locator("#day-close").is_hidden()
    body = page.text_content("#day-card")
    assert "-0원" not in body and "환불·취소 (건수)0원 (0)" in body
    # Korean words only, but for what is data: the digest, the signed-in person, "CSV".
    assert not re.search(r"[A-Za-z]{4,}", body.replace(digest, "").replace("CSV", "").replace("mina@staff", "")), body
    no_errors(page)
