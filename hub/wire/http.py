"""HTTP routes: health, product listing, pairing, and the screens' pages."""
import gzip
from pathlib import Path

import gevent
from flask import Blueprint, Response, current_app, jsonify, redirect, request, send_from_directory

from ..rules import catalog, days, demos, devices, exports, feedback, printing, reports, visitors
from . import payloads
from ..errors import HallError
from .headers import protect, sibling_policy

ROOT = Path(__file__).resolve().parents[2]
# Front-end libraries come from the npm registry at set-up (web/package.json), never from a CDN.
VENDOR = {
    "socket.io.min.js": ROOT / "web" / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
    "axe.min.js": ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js",
    # The door scanner decodes QR codes from the camera and checks ticket signatures offline.
    "jsQR.js": ROOT / "web" / "node_modules" / "jsqr" / "dist" / "jsQR.js",
    "nacl-fast.min.js": ROOT / "web" / "node_modules" / "tweetnacl" / "nacl-fast.min.js",
    # Every search box: 초성, the on-screen keyboard's composition, a query typed on the wrong layout.
    "es-hangul.mjs": ROOT / "web" / "node_modules" / "es-hangul" / "dist" / "index.mjs",
}
MAX_QR_TEXT = 300
# Every screen is a folder at the top of the project; what they share is in common/.
SCREENS = {name: ROOT / name for name in ("kiosk", "pos", "staff", "scan", "visit")}
COMMON = ROOT / "common"
HTTP_STATUS = {"slow_down": 429, "invalid": 400, "unauthorized": 401, "forbidden": 403, "sign_in_required": 403,
               "unknown_code": 404, "unknown_job": 404, "not_found": 404, "code_used": 409, "code_expired": 410}

bp = Blueprint("hall", __name__)


@bp.after_app_request
def _protect(response):
    place = _hall().place
    if place.several and request.host:
        response.headers.setdefault("Content-Security-Policy",
                                    sibling_policy(request.scheme, request.host.rsplit(":", 1)[0], place.ports))
    return protect(response)


def _hall():
    return current_app.extensions["hall"]


@bp.get("/api/health")
def health():
    """What the hall depends on and a plain ok / degraded / failing with the reasons (hub/health.py).
    Always 200 while the hub answers: the status is in the body."""
    return jsonify(_hall().health.report())


@bp.get("/api/ticket-key")
def ticket_key():
    """The hub's public key: scanners check ticket signatures with it when the link is down."""
    from ..rules import tickets
    return jsonify(alg="Ed25519", public_key=tickets.public_key_text(_hall().ticket_key))


@bp.get("/api/screen-settings")
def screen_settings():
    """What a screen needs to behave as the hall is configured (no secrets)."""
    hall = _hall()
    config = hall.config
    return jsonify(hall={"name": config.hall["name"], "name_en": config.hall.get("name_en", "")},
                   kiosk=config.kiosk, hold_minutes=round(config.hold_seconds / 60, 2), demos=config.demos,
                   low_stock_threshold=config.low_stock_threshold,
                   refund_approval_over=config.refund_approval_over,
                   demo_program=demos.program_span(hall.store.read_db, now=hall.clock()))


@bp.get("/api/hall-plan")
def hall_plan():
    """The hall's booths, halls and places to draw, or null when the hall has no plan."""
    response = jsonify(plan=_hall().hall_plan)
    # The plan changes only with a restart: screens ask again each time, and the ETag spares the body.
    response.add_etag()
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/api/products")
def products():
    def read(db):
        return catalog.list_products(db, search=request.args.get("search") or None,
                                     firm=request.args.get("firm") or None,
                                     category=request.args.get("category") or None)
    seq, listed = _hall().snapshot(read)
    return jsonify(seq=seq, products=listed)


# A firm's picture is untrusted: an SVG opened on its own runs no script and loads nothing in the hall's name.
IMAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
                 "X-Content-Type-Options": "nosniff"}
IMAGE_MAX_AGE = 86400


@bp.get(catalog.IMAGE_ROUTE + "<path:name>")
def product_image(name):
    """A product's picture from the images folder beside the catalog; screens may keep it a day."""
    folder = _hall().images_dir
    if not catalog.image_file_ok(name) or not (folder / name).is_file():
        return _refused(HallError("not_found", f"no product picture named {name}"))
    response = send_from_directory(folder, name, max_age=IMAGE_MAX_AGE, conditional=True)
    response.headers.update(IMAGE_HEADERS)
    return response


@bp.post("/api/pair")
def pair():
    body = request.get_json(silent=True)
    try:
        if not isinstance(body, dict):
            raise HallError("invalid", 'send JSON: {"code": "XXXX-XXXX"}', field="payload")
        return jsonify(ok=True, **_hall().pair(body.get("code"), address=request.remote_addr or "?"))
    except HallError as refused:
        wait = {"Retry-After": str(refused.details["retry_after"])} if refused.code == "slow_down" else {}
        return jsonify(refused.to_ack()), HTTP_STATUS.get(refused.code, 400), wait


@bp.post("/api/visit/session")
def visit_session():
    """A new anonymous session for a visitor's phone: no name, no phone number (rules/visitors.py)."""
    hall = _hall()
    address = request.remote_addr or "?"
    try:
        if not isinstance(request.get_json(silent=True), dict):
            raise HallError("invalid", "send JSON: {}", field="payload")
        wait = hall.session_throttle.wait(address)
        if wait:
            raise HallError("slow_down", "too many new sessions from this address; wait a minute",
                            retry_after=max(1, round(wait)))
        hall.session_throttle.failed(address)  # counts every session issued, not only failures
        result, _ = hall.write(visitors.start_session, secret=hall.visitor_secret,
                               hours=hall.config.visitor["session_hours"])
    except HallError as refused:
        wait = {"Retry-After": str(refused.details["retry_after"])} if refused.code == "slow_down" else {}
        return jsonify(refused.to_ack()), HTTP_STATUS.get(refused.code, 400), wait
    return jsonify(ok=True, **result)


def _public_read(name: str, read):
    """A read every phone makes, kept once per version: its ETag is the seq of the last event that changed it,
    so a phone that has it is answered 304 with no body, and 5,000 phones cost one query."""
    hall = _hall()
    version = hall.public_versions[name]
    cached = hall.public_cache.get(name)
    if cached is None or cached[0] != version:
        body = current_app.json.dumps({"version": version, **read(hall.store.read_db)}).encode("utf-8")
        # Compressed once per version: the catalog is 0.6 MB of JSON and about a sixth of it gzipped, which is
        # what a phone on a crowded mobile link waits for on its first visit.
        cached = hall.public_cache[name] = (version, body, gzip.compress(body, compresslevel=6, mtime=0))
    zipped = request.accept_encodings["gzip"] > 0
    response = Response(cached[2] if zipped else cached[1], mimetype="application/json")
    if zipped:
        response.content_encoding = "gzip"
    response.vary.add("Accept-Encoding")
    # Weak: the gzipped and the plain body are the same answer, as nginx marks them.
    response.set_etag(str(version), weak=True)
    response.cache_control.no_cache = True
    return response.make_conditional(request)


@bp.get("/api/visit/catalog")
def visit_catalog():
    return _public_read("catalog", lambda db: {"products": visitors.catalog(db, image_url=catalog.image_url)})


@bp.get("/api/visit/program")
def visit_program():
    return _public_read("program", lambda db: {"demos": visitors.program(db)})


def _device(*roles: str) -> dict:
    """The device behind `Authorization: Bearer TOKEN`, if its role is one of `roles`."""
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else None
    device = devices.authenticate(_hall().store.read_db, token)
    if device is None:
        raise HallError("unauthorized", "send the device token as 'Authorization: Bearer TOKEN'")
    if device["role"] not in roles:
        raise HallError("forbidden", f"a {device['role']} may not see this")
    if device["role"] == "staff" and not _person_at(device["name"]):
        # The token says "a staff screen"; the books are for a person signed in at it, as on the socket.
        raise HallError("sign_in_required", "sign in with your staff name and password on this screen first")
    return device


def _person_at(device_name: str) -> str | None:
    """Who is signed in on one of this staff screen's open connections, if anyone."""
    connections = _hall().connections
    return next((person for sid in connections.sids_of(device_name)
                 if (person := (connections.get(sid) or {}).get("person"))), None)


def _refused(refused: HallError):
    return jsonify(refused.to_ack()), HTTP_STATUS.get(refused.code, 400)


@bp.get("/api/print-jobs/<job_id>.png")
def print_preview(job_id):
    """What a job looks like on paper, for the staff screen and the till's reprint dialog."""
    try:
        _device("staff", "pos")
        hall = _hall()
        job = printing.get_job(hall.store.read_db, job_id)
        worker = hall.printers.get(job["printer"])
        columns = worker.profile.columns if worker else 48
        layout = printing.layout_of(job, columns)
    except HallError as refused:
        return _refused(refused)
    from printers.png_render import png_bytes
    picture = gevent.get_hub().threadpool.apply(png_bytes, (layout,))
    return Response(picture, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _csv(filename: str, header: list[str], rows):
    body = exports.to_csv(header, rows)
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


@bp.get("/api/exports/<name>.csv")
def export(name):
    """Spreadsheets for the organisers and each firm's settlement (staff token)."""
    try:
        _device("staff")
    except HallError as refused:
        return _refused(refused)
    hall = _hall()
    db = hall.store.read_db
    if name == "feedback":
        rows = feedback.newest(db, limit=1_000_000)
        return _csv("feedback.csv", list(feedback.FIELDS), ([r[f] for f in feedback.FIELDS] for r in rows))
    if name == "sales":
        return _csv("sales-journal.csv", reports.JOURNAL_HEADER, reports.journal(db))
    if name == "cash-receipts":
        return _csv("cash-receipts.csv", reports.CASH_RECEIPT_HEADER, reports.cash_receipts(db))
    if name == "shifts":
        return _csv("shifts.csv", reports.shift_header(), reports.shift_rows(db))
    if name == "day":
        try:
            day = payloads.day({"day": request.args.get("day")}, default=hall.clock().date().isoformat())
        except HallError as refused:
            return _refused(refused)
        done = days.closed(db, day)
        figures = done["report"] if done else days.report(db, day, tax_rate=hall.config.tax_rate)
        return _csv(f"day-{day}.csv", days.CSV_HEADER, days.csv_rows(figures))
    if name == "firms":
        firms = reports.firms(db, tax_rate=hall.config.tax_rate)
        header = ["firm", "firm_en", "booth", "units", "gross", "refunds", "net", "taxable", "supply", "vat",
                  "tax_free"]
        return _csv("firm-settlement.csv", header, ([f[k] for k in header] for f in firms))
    return _refused(HallError("not_found", f"no export named {name}"))


@bp.get("/metrics")
def metrics_page():
    """The hall's figures for Prometheus (hub/wire/metrics.py): from this machine, or with a staff session."""
    from . import metrics
    hall = _hall()
    try:
        metrics.allowed(hall.store.read_db, hall.clock(), request.remote_addr, request.headers.get("Authorization", ""))
    except HallError as refused:
        return _refused(refused)
    body, content_type = hall.metrics.page(request.headers.get("Accept", ""))
    return Response(body, content_type=content_type)


@bp.get("/vendor/<name>")
def vendor(name):
    path = VENDOR.get(name)
    if path is None or not path.exists():
        return jsonify(ok=False, error={"code": "not_found",
                                        "message": f"{name} is not installed: run `make run` or `make test` to set up"}), 404
    return send_from_directory(path.parent, path.name, max_age=86400)


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for it on every screen by themselves; pages that link common/favicon.svg get the same stall.
    return send_from_directory(COMMON, "favicon.ico", max_age=86400)


@bp.get("/common/<path:name>")
def common(name):
    return send_from_directory(COMMON, name)


@bp.get("/api/qr.svg")
def qr_svg():
    """A QR code as SVG, so screens show hold codes and tickets without a QR library."""
    import io

    import qrcode
    import qrcode.image.svg

    text = request.args.get("data", "")
    if not text or len(text) > MAX_QR_TEXT:
        return _refused(HallError("invalid", f"data must be 1-{MAX_QR_TEXT} characters", field="data"))
    out = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


@bp.get("/")
def index():
    return send_from_directory(COMMON, "index.html")


@bp.get("/<screen>")
def screen_without_slash(screen):
    if screen not in SCREENS:
        return jsonify(ok=False, error={"code": "not_found", "message": "no such page"}), 404
    # A screen lives under /<screen>/ so its service worker's scope covers the page itself.
    query = request.query_string.decode("latin-1")
    return redirect(f"/{screen}/" + (f"?{query}" if query else ""), code=308)


@bp.get("/<screen>/")
def screen(screen):
    if screen not in SCREENS:
        return jsonify(ok=False, error={"code": "not_found", "message": "no such page"}), 404
    return send_from_directory(SCREENS[screen], "index.html", max_age=0)


@bp.get("/<screen>/<path:name>")
def screen_asset(screen, name):
    if screen not in SCREENS:
        return jsonify(ok=False, error={"code": "not_found", "message": "no such page"}), 404
    return send_from_directory(SCREENS[screen], name)
