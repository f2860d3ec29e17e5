"""The firms' product catalog: CSV import (all rows or none) and product listings.

The CSV comes from ~650 firms by way of spreadsheets, so it is untrusted:
every row is checked, every error names its line, and one bad row imports
nothing. Text is stored as written and escaped where it is shown.

A product may name a picture in the optional `image` column: a file in the
images folder beside the catalog (`robot/arm-01.png`), which the hub serves at
IMAGE_ROUTE, or a path the hub already serves (`/kiosk/pictograms/robot.svg`).
Either is a plain relative path of safe names with a picture's extension, so a
row can neither reach outside that folder nor point a screen at another site.
"""
import re
from pathlib import PurePosixPath

from ..errors import HallError
from ..events import Event
from .csv_rows import CsvRows

COLUMNS = ("sku", "barcode", "name", "name_en", "firm", "firm_en", "booth", "category",
           "price", "stock", "tax_free", "tags")
OPTIONAL_COLUMNS = ("image",)
IMAGE_ROUTE = "/api/product-images/"
IMAGE_TYPES = (".png", ".jpg", ".webp", ".svg")
# One folder level or file name: starts with a letter or digit, so never "..", ".hidden" or "-flag".
IMAGE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
IMAGE_MAX = 200
IMAGE_DEPTH = 4
SKU_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
CATEGORY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
BOOTH_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
TEXT_LIMITS = {"name": 120, "name_en": 160, "firm": 80, "firm_en": 120, "tags": 200}


def ean13_valid(code: str) -> bool:
    if len(code) != 13 or not code.isdigit():
        return False
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - weighted % 10) % 10 == int(code[12])


def _whole_number(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


def image_file_ok(name: str) -> bool:
    """A file name under the images folder: safe parts joined by '/', a picture's extension."""
    parts = name.split("/")
    return (0 < len(name) <= IMAGE_MAX and len(parts) <= IMAGE_DEPTH and all(IMAGE_PART.match(p) for p in parts)
            and PurePosixPath(name).suffix.lower() in IMAGE_TYPES)


def image_url(image: str) -> str | None:
    """Where a screen fetches a product's picture: a hub path as given, a file of the images folder by route."""
    if not image:
        return None
    return image if image.startswith("/") else IMAGE_ROUTE + image


def _check_image(image: str, image_files) -> str | None:
    """The problem with an `image` cell, if any; `image_files` (when known) is what the images folder holds."""
    if not image:
        return None
    path = image[1:] if image.startswith("/") else image
    if not image_file_ok(path):
        return (f"image {image!r} must be a {', '.join(IMAGE_TYPES)} file in the images folder (like "
                f"robot/arm.png) or a path on the hub (like /kiosk/pictograms/robot.svg)")
    if not image.startswith("/") and image_files is not None and image not in image_files:
        return f"image {image!r} is not in the images folder"
    return None


def _check_row(row: dict, image_files=None) -> tuple[dict | None, list[str]]:
    problems = []
    for column in COLUMNS + OPTIONAL_COLUMNS:
        if any(ord(ch) < 32 for ch in row.get(column) or ""):
            problems.append(f"{column} contains control characters")
    if problems:
        return None, problems
    clean = {column: row[column].strip() for column in COLUMNS}
    clean["image"] = (row.get("image") or "").strip()
    if not SKU_PATTERN.match(clean["sku"]):
        problems.append(f"sku {clean['sku']!r} must be 1-40 letters, digits, '.', '_' or '-'")
    if not ean13_valid(clean["barcode"]):
        problems.append(f"barcode {clean['barcode']!r} is not a valid EAN-13")
    for column, limit in TEXT_LIMITS.items():
        if column != "tags" and not clean[column]:
            problems.append(f"{column} is empty")
        if len(clean[column]) > limit:
            problems.append(f"{column} is longer than {limit} characters")
    if not BOOTH_PATTERN.match(clean["booth"]):
        problems.append(f"booth {clean['booth']!r} must look like A-101")
    if not CATEGORY_PATTERN.match(clean["category"]):
        problems.append(f"category {clean['category']!r} must be a lower-case key like 'robot'")
    price = _whole_number(clean["price"], 0, 100_000_000)
    if price is None:
        problems.append(f"price {clean['price']!r} must be whole won between 0 and 100,000,000")
    stock = _whole_number(clean["stock"], 0, 1_000_000)
    if stock is None:
        problems.append(f"stock {clean['stock']!r} must be a whole number of units")
    if clean["tax_free"] not in ("0", "1"):
        problems.append(f"tax_free {clean['tax_free']!r} must be 0 or 1")
    image_problem = _check_image(clean["image"], image_files)
    if image_problem:
        problems.append(image_problem)
    if problems:
        return None, problems
    tags = [t.strip() for t in clean["tags"].split(";") if t.strip()]
    return {**clean, "price": price, "stock": stock, "tax_free": int(clean["tax_free"]),
            "tags": ";".join(tags)}, []


def parse_catalog(text: str, image_files=None) -> list[dict]:
    """Checked product rows from catalog CSV text, or HallError('catalog_invalid') listing each bad line.

    `image_files`: the names (as `image` cells write them) of the files in the images folder; given, a row
    naming a picture that is not there is refused like any other bad cell.
    """
    rows = CsvRows(text, COLUMNS, code="catalog_invalid", what="catalog")
    products, seen_sku, seen_barcode = [], {}, {}
    for line, row in rows:
        product, problems = _check_row(row, image_files)
        if product:
            for key, seen in (("sku", seen_sku), ("barcode", seen_barcode)):
                if product[key] in seen:
                    problems.append(f"{key} {product[key]} repeats line {seen[product[key]]}")
                seen.setdefault(product[key], line)
        for problem in problems:
            rows.problem(line, problem)
        if not problems:
            products.append(product)
    rows.refuse_if_any()
    if not products:
        raise HallError("catalog_invalid", "catalog not imported: it has no products", errors=[])
    return products


def load_catalog(db, products: list[dict], *, now, source: str):
    """Put a checked catalog into an empty hall; its starting stock goes into the event log."""
    if db.execute("SELECT count(*) FROM products").fetchone()[0]:
        raise HallError("catalog_exists", "the hall already has a catalog; restock or adjust instead")
    db.conn.executemany(
        "INSERT INTO products (sku, barcode, name, name_en, firm, firm_en, booth, category, price, tax_free,"
        " tags, on_hand, image) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(p["sku"], p["barcode"], p["name"], p["name_en"], p["firm"], p["firm_en"], p["booth"], p["category"],
          p["price"], p["tax_free"], p["tags"], p["stock"], p.get("image") or None) for p in products],
    )
    firms = len({p["firm"] for p in products})
    loaded = Event("catalog.loaded", {"source": source, "products": len(products), "firms": firms,
                                      "stock": {p["sku"]: p["stock"] for p in products}})
    return {"products": len(products), "firms": firms}, [loaded]


PRODUCT_FIELDS = ("sku", "barcode", "name", "name_en", "firm", "firm_en", "booth", "category", "price",
                  "tax_free", "tags", "on_hand", "held", "low_stock", "image")


def _public(row: tuple) -> dict:
    product = dict(zip(PRODUCT_FIELDS, row))
    product["available"] = product["on_hand"] - product["held"]
    product["tax_free"] = bool(product["tax_free"])
    product["tags"] = product["tags"].split(";") if product["tags"] else []
    product["image"] = image_url(product["image"])
    return product


def list_products(db, *, search: str | None = None, firm: str | None = None,
                  category: str | None = None) -> list[dict]:
    """Products with live availability, optionally filtered; search matches names, firm and barcode."""
    sql = f"SELECT {', '.join(PRODUCT_FIELDS)} FROM products WHERE 1 = 1"
    params: list = []
    if search:
        like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql += (" AND (name LIKE ? ESCAPE '\\' OR name_en LIKE ? ESCAPE '\\' OR firm LIKE ? ESCAPE '\\'"
                " OR firm_en LIKE ? ESCAPE '\\' OR barcode = ? OR sku = ?)")
        params += [like, like, like, like, search, search]
    if firm:
        sql += " AND (firm = ? OR firm_en = ?)"
        params += [firm, firm]
    if category:
        sql += " AND category = ?"
        params.append(category)
    sql += " ORDER BY sku"
    return [_public(row) for row in db.execute(sql, params).fetchall()]
