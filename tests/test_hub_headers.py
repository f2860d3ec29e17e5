"""Every answer tells the browser what it may not do: no framing, no inline script, no sniffing, no referrer."""
import pytest
import requests as http

PATHS = ["/", "/kiosk/", "/pos/", "/staff/", "/scan/", "/kiosk/app.js", "/common/hall.js", "/staff/i18n/ko.json",
         "/api/health", "/api/products", "/api/screen-settings", "/api/qr.svg?data=HOLD:ABC123",
         "/vendor/socket.io.min.js", "/no-such-page/", "/api/exports/sales.csv"]


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_protective_headers(hub, path):
    headers = http.get(hub.url + path, timeout=10).headers
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"


SCREENS = ["/", "/kiosk/", "/pos/", "/staff/", "/scan/"]


@pytest.mark.parametrize("path", SCREENS)
def test_every_screen_runs_under_its_policy_without_a_violation(hub, context, path):
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(hub.url + path)
    page.wait_for_load_state("networkidle")
    # The screen's own scripts ran: each fills its page from its message files (or the health line).
    assert page.evaluate("document.querySelectorAll('script[src]').length") >= 1
    assert page.locator("body").inner_text().strip()
    assert violations == []


def test_another_site_cannot_frame_the_staff_screen(hub, context):
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    # A page of no origin of the hub's, with no policy of its own, framing the staff screen as a hostile site would.
    page.set_content(f'<iframe src="{hub.url}/staff/" width="800" height="600"></iframe>')
    page.wait_for_timeout(1500)
    staff = [frame for frame in page.frames if frame != page.main_frame]
    assert staff, "the frame was not even attempted"
    assert all(not frame.url.startswith(hub.url) or frame.evaluate("document.body ? document.body.innerText : ''") == ""
               for frame in staff)
    assert any("frame-ancestors" in text for text in refused), refused
