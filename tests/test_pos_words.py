"""The till's words: counts with thousands separators and plural forms, and times written one way."""
import re

from playwright.sync_api import expect

from tests.test_pos_refund import sell
from tests.test_pos_support import PEN, open_till, till_hub  # noqa: F401 (till_hub is a fixture)


def test_the_z_report_writes_its_times_as_the_staff_screen_does(till_hub, context):
    page = open_till(context, till_hub)
    sell(page, PEN)
    page.click("#close-shift-btn")
    page.fill("#close-cash", "51100")
    page.click("#close-submit")
    opened = page.locator("#z-report tr", has_text="시작").locator("td")
    expect(opened).to_have_text(re.compile(r"^\d{1,2}월 \d{1,2}일 \d\d:\d\d$"))
