"""Product pictures on the kiosk: the catalog's picture where it has one, else a pictogram of its category
(one drawn for every category of the demo catalog), and pictures kept by the service worker as they are
shown, so they still show while the hub is unreachable."""
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.conftest import TEST_CATALOG
from tests.pages import wait_until
from tests.test_kiosk_support import STEP_MS, kiosk_hall_process, paired_kiosk

ROOT = Path(__file__).resolve().parent.parent
PICTOGRAMS = ROOT / "kiosk" / "pictograms"
SVG = "{http://www.w3.org/2000/svg}"


def catalog_with_pictures() -> str:
    lines = TEST_CATALOG.splitlines()
    rows = [lines[0] + ",image", lines[1] + ",robot.png"]
    # PEN names a picture on the hub that is not there: the pictogram stands in for it.
    rows += [line + ("/api/product-images/gone.png" if line.startswith("PEN,") else "") for line in
             (row + "," for row in lines[2:])]
    rows.append("ODD,8804444444442,이상한 물건,Odd Thing,(주)기타,Misc Co,E-501,curiosities,1000,5,0,,")
    return "\n".join(rows) + "\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def picture_hub(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "robot.png").write_bytes(png_bytes())
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(catalog_with_pictures(), encoding="utf-8")
    process = kiosk_hall_process(tmp_path, catalog).start()
    yield process
    process.stop()


def picture(shop, sku):
    return shop.card(sku).locator(".card-pic")


def test_a_product_shows_its_picture_or_its_categorys_pictogram(picture_hub, context):
    shop = paired_kiosk(picture_hub, context).open().wait_live().start()
    robot, rice, odd = picture(shop, "ROBOT"), picture(shop, "RICE"), picture(shop, "ODD")
    expect(robot).to_have_attribute("src", "/api/product-images/robot.png")
    expect(robot).to_have_attribute("data-kind", "picture")
    expect(rice).to_have_attribute("src", "/kiosk/pictograms/food.svg")
    expect(rice).to_have_attribute("data-kind", "pictogram")
    expect(odd).to_have_attribute("src", "/kiosk/pictograms/other.svg")
    for img in (robot, rice, odd):
        wait_until(shop.page, "(img) => img.complete && img.naturalWidth > 0", img.element_handle(), timeout=STEP_MS)
    # The picture adds nothing the name does not say: screen readers read the name once.
    assert robot.get_attribute("alt") == ""


def test_a_picture_the_hub_cannot_give_yields_to_the_pictogram(picture_hub, context):
    shop = paired_kiosk(picture_hub, context).open().wait_live().start()
    pen = picture(shop, "PEN")
    expect(pen).to_have_attribute("src", "/kiosk/pictograms/stationery.svg", timeout=STEP_MS)
    expect(pen).to_have_attribute("data-kind", "pictogram")


def test_pictures_shown_once_still_show_while_the_hub_is_down(picture_hub, context):
    shop = paired_kiosk(picture_hub, context).open().wait_live()
    page = shop.page
    wait_until(page, "() => navigator.serviceWorker.controller !== null", timeout=STEP_MS)
    page.reload()  # now every request of the page passes the service worker
    shop.wait_live().start()
    wait_until(page, """async () => {
        const cache = await caches.open('kiosk-pictures-v1');
        return (await cache.keys()).some((r) => r.url.endsWith('/api/product-images/robot.png'));
    }""", timeout=STEP_MS)
    picture_hub.stop()
    status = page.evaluate("""async () => {
        const answer = await fetch('/api/product-images/robot.png', { cache: 'no-store' });
        return [answer.status, (await answer.arrayBuffer()).byteLength];
    }""")
    assert status == [200, len(png_bytes())]


def catalog_categories() -> set[str]:
    lines = (ROOT / "config" / "catalog.csv").read_text(encoding="utf-8").splitlines()[1:]
    import csv
    return {row[7] for row in csv.reader(lines)}


def test_every_category_of_the_demo_catalog_has_a_pictogram():
    drawn = {path.stem for path in PICTOGRAMS.glob("*.svg")}
    assert catalog_categories() | {"other"} <= drawn
    listed = set(re.findall(r'"([a-z0-9-]+)"', (ROOT / "kiosk" / "pictures.js").read_text(encoding="utf-8")
                            .split("new Set([")[1].split("])")[0]))
    assert listed == drawn - {"other"}


@pytest.mark.parametrize("path", sorted(PICTOGRAMS.glob("*.svg")), ids=lambda p: p.stem)
def test_a_pictogram_is_plain_drawing_with_nothing_from_elsewhere(path):
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 64 64"
    tags = {element.tag.replace(SVG, "") for element in root.iter()}
    assert tags <= {"svg", "path", "rect", "circle", "ellipse", "g", "line", "polyline", "polygon"}, tags
    assert not any(key.endswith("href") for element in root.iter() for key in element.attrib)
