"""The scanner's camera path: video frames through jsQR. Headless chromium has no camera and no
BarcodeDetector, but it can play a file as a fake camera, so the whole path from getUserMedia runs."""
import qrcode
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.test_scan_page_support import (STEP_MS, book, expect_answer, open_scanner, phone,  # noqa: F401
                                          scan_hub)


def test_a_qr_picture_drawn_into_a_canvas_decodes_to_the_ticket(scan_hub, phone, clients):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"])
    page = open_scanner(phone, scan_hub)
    decoded = page.evaluate("""async (text) => {
        const { decodeFrame } = await import('/scan/js/camera.js');
        const image = new Image();
        image.src = '/api/qr.svg?data=' + encodeURIComponent(text);
        await image.decode();
        const picture = document.createElement('canvas');
        picture.width = picture.height = 600;  // an SVG has no pixel size of its own
        const context = picture.getContext('2d');
        context.fillStyle = '#fff';
        context.fillRect(0, 0, 600, 600);
        context.drawImage(image, 0, 0, 600, 600);
        return decodeFrame(picture, document.createElement('canvas'));
    }""", ticket["qr"])
    assert decoded == ticket["qr"]


def fake_camera_file(text: str, path) -> None:
    """A Y4M video of a QR code on white, as chromium's --use-file-for-fake-video-capture plays it."""
    code = qrcode.make(text, border=4).get_image().convert("L").resize((420, 420), Image.NEAREST)
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, (110, 30))
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(3):
            out.write(b"FRAME\n" + frame.tobytes() + bytes([128]) * (320 * 240 * 2))


def test_a_ticket_shown_to_the_camera_is_admitted_once(scan_hub, browser, clients, tmp_path):
    kiosk = clients(scan_hub.client("kiosk", "kiosk-1"))
    ticket = book(kiosk, scan_hub.slots["now"], party=2)
    video = tmp_path / "ticket.y4m"
    fake_camera_file(ticket["qr"], video)
    with_camera = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        context = with_camera.new_context(viewport={"width": 390, "height": 844}, locale="ko-KR",
                                          timezone_id="Asia/Seoul")
        page = open_scanner(context, scan_hub)
        page.locator("#camera-start").click()
        expect(page.locator("#camera-box")).to_have_attribute("data-camera", "on", timeout=STEP_MS)
        expect_answer(page, "admitted", offline=False)
        expect(page.locator('#answer-party [lang="en"]')).to_have_text("Party of 2")
        expect(page.locator('#camera-engine [lang="en"]')).to_have_text("Camera on (jsQR)")
        # The ticket stays in view: it is read once, not admitted and then refused as already used.
        page.wait_for_timeout(3500)
        expect(page.locator("#recent-list .recent-item")).to_have_count(1)
        page.locator("#camera-stop").click()
        expect(page.locator("#camera-box")).to_have_attribute("data-camera", "off")
    finally:
        with_camera.close()
