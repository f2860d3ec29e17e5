"""Product pictures: the catalog's optional `image` column is untrusted like every other cell (no path out
of the images folder, no other site, pictures only), and the hub serves the pictures with caching headers."""
import io

import pytest
import requests as http
from PIL import Image

from hub.errors import HallError
from hub.rules import catalog
from tests.conftest import TEST_CATALOG, hall_config
from tests.hubproc import HubProcess

HEADER = TEST_CATALOG.splitlines()[0] + ",image"
ROBOT = TEST_CATALOG.splitlines()[1] + ","
IMAGES = frozenset({"robot/kit.png", "pen.svg"})


def with_image(image: str) -> str:
    return f"{HEADER}\n{ROBOT}\nX1,8801234567800,이름,Name,회사,Firm,A-1,robot,1000,5,0,,{image}\n"


@pytest.mark.parametrize("image, url", [
    ("robot/kit.png", "/api/product-images/robot/kit.png"),
    ("pen.svg", "/api/product-images/pen.svg"),
    ("/kiosk/pictograms/robot.svg", "/kiosk/pictograms/robot.svg"),
    ("", None),
])
def test_an_image_is_a_file_of_the_images_folder_or_a_path_on_the_hub(image, url):
    product = catalog.parse_catalog(with_image(image), image_files=IMAGES)[1]
    assert catalog.image_url(product["image"]) == url


@pytest.mark.parametrize("image", [
    "../hall.toml.png", "robot/../../secret.png", "/../secret.png", "..\\secret.png", "robot\\kit.png",
    "http://evil.example/x.png", "//evil.example/x.png", "https:x.png", "C:/x.png", "%2e%2e/x.png",
    ".hidden.png", "-flag.png", "a b.png", "x.gif", "x.png.exe", "x.html", "x.svg?y=1", "x.png#top",
    "a/b/c/d/e.png", "a" * 200 + ".png", "robot//kit.png", "/", "robot/",
])
def test_an_image_that_could_leave_the_folder_or_is_not_a_picture_is_refused(image):
    with pytest.raises(HallError) as refused:
        catalog.parse_catalog(with_image(image), image_files=IMAGES)
    assert refused.value.code == "catalog_invalid"
    assert refused.value.details["errors"][0]["line"] == 3
    assert "image" in refused.value.details["errors"][0]["problem"]


def test_an_image_missing_from_the_folder_is_refused_with_its_line():
    with pytest.raises(HallError) as refused:
        catalog.parse_catalog(with_image("robot/arm.png"), image_files=IMAGES)
    assert refused.value.details["errors"] == [{"line": 3, "problem": "image 'robot/arm.png' is not in the images folder"}]


def test_control_characters_in_an_image_are_refused():
    with pytest.raises(HallError) as refused:
        catalog.parse_catalog(with_image('"pen.svg\x07"'), image_files=IMAGES)
    assert "image contains control characters" in refused.value.details["errors"][0]["problem"]


def test_a_catalog_without_the_image_column_still_loads(store):
    assert {p["image"] for p in catalog.list_products(store.read_db)} == {None}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'


@pytest.fixture(scope="module")
def picture_hub(tmp_path_factory):
    """One hub for the module: these tests only read."""
    tmp_path = tmp_path_factory.mktemp("pictures")
    images = tmp_path / "images"
    (images / "robot").mkdir(parents=True)
    (images / "robot" / "kit.png").write_bytes(png_bytes())
    (images / "pen.svg").write_text(SVG, encoding="utf-8")
    (images / "notes.txt").write_text("not a picture", encoding="utf-8")
    (tmp_path / "hall.toml.png").write_bytes(png_bytes())  # beside the folder, not in it
    lines = TEST_CATALOG.splitlines()
    rows = [lines[0] + ",image", lines[1] + ",robot/kit.png", *[line + "," for line in lines[2:4]],
            lines[4] + ",pen.svg", lines[5] + ","]
    catalog_csv = tmp_path / "catalog.csv"
    catalog_csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv)).start()
    yield process
    process.stop()


def test_the_listing_gives_each_product_its_picture_url(picture_hub):
    products = {p["sku"]: p for p in http.get(picture_hub.url + "/api/products", timeout=5).json()["products"]}
    assert products["ROBOT"]["image"] == "/api/product-images/robot/kit.png"
    assert products["PEN"]["image"] == "/api/product-images/pen.svg"
    assert products["RICE"]["image"] is None


def test_the_hub_serves_a_picture_with_caching_headers(picture_hub):
    answer = http.get(picture_hub.url + "/api/product-images/robot/kit.png", timeout=5)
    assert answer.status_code == 200 and answer.content == png_bytes()
    assert answer.headers["Content-Type"] == "image/png"
    assert "max-age=86400" in answer.headers["Cache-Control"]
    again = http.get(picture_hub.url + "/api/product-images/robot/kit.png", timeout=5,
                     headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_an_svg_picture_cannot_run_script_when_opened_on_its_own(picture_hub):
    answer = http.get(picture_hub.url + "/api/product-images/pen.svg", timeout=5)
    assert answer.headers["Content-Type"].startswith("image/svg+xml")
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert "unsafe" not in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    "notes.txt", "missing.png", "..%2fhall.toml.png", "%2e%2e/hall.toml.png", "robot/..%2f..%2fhall.toml.png",
    ".%2e/hall.toml.png",
])
def test_only_pictures_in_the_folder_are_served(picture_hub, path):
    answer = http.get(picture_hub.url + "/api/product-images/" + path, timeout=5)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_the_demo_catalogs_pictures_are_all_in_its_images_folder():
    from pathlib import Path
    config = Path(__file__).resolve().parent.parent / "config"
    folder = config / "images"
    files = frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    products = catalog.parse_catalog((config / "catalog.csv").read_text(encoding="utf-8"), image_files=files)
    pictured = {p["image"] for p in products if p["image"]}
    assert pictured and pictured <= files
