"""HTTP routes: health, product listing, pairing, and the screens' pages."""
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, send_from_directory

from . import catalog
from .errors import HallError

ROOT = Path(__file__).resolve().parent.parent
SCREENS = {"kiosk": ROOT / "kiosk", "pos": ROOT / "pos", "staff": ROOT / "hub" / "static" / "staff",
           "scan": ROOT / "hub" / "static" / "scan"}
HTTP_STATUS = {"invalid": 400, "unknown_code": 404, "code_used": 409, "code_expired": 410}

bp = Blueprint("hall", __name__)


def _hall():
    return current_app.extensions["hall"]


@bp.get("/api/health")
def health():
    hall = _hall()
    return jsonify(status="ok", seq=hall.store.head(), connections=len(hall.connections),
                   started_at=hall.started_at.isoformat(timespec="seconds"))


@bp.get("/api/products")
def products():
    def read(db):
        return catalog.list_products(db, search=request.args.get("search") or None,
                                     firm=request.args.get("firm") or None,
                                     category=request.args.get("category") or None)
    seq, listed = _hall().snapshot(read)
    return jsonify(seq=seq, products=listed)


@bp.post("/api/pair")
def pair():
    body = request.get_json(silent=True)
    try:
        if not isinstance(body, dict):
            raise HallError("invalid", 'send JSON: {"code": "XXXX-XXXX"}', field="payload")
        return jsonify(ok=True, **_hall().pair(body.get("code")))
    except HallError as refused:
        return jsonify(refused.to_ack()), HTTP_STATUS.get(refused.code, 400)


@bp.get("/")
def index():
    return send_from_directory(ROOT / "hub" / "static", "index.html")


@bp.get("/<screen>")
@bp.get("/<screen>/")
def screen(screen):
    if screen not in SCREENS:
        return jsonify(ok=False, error={"code": "not_found", "message": "no such page"}), 404
    return send_from_directory(SCREENS[screen], "index.html")


@bp.get("/<screen>/<path:name>")
def screen_asset(screen, name):
    if screen not in SCREENS:
        return jsonify(ok=False, error={"code": "not_found", "message": "no such page"}), 404
    return send_from_directory(SCREENS[screen], name)
