"""The hall's hub: the one source of truth that every kiosk, POS and staff screen talks to."""
import logging
from functools import partial

from flask import Flask
from flask_socketio import SocketIO

from .config import HallConfig
from .wire.fanout import TextPacket
from .hall import Hall
from .scale import Place
from .scale.queue import HallQueue, default_channel
from .wire.headers import sibling_origin
from .store.database import refused_on_storage_faults

# Bound to the app in create_app; one hub per process.
socketio = SocketIO()


def create_app(config: HallConfig, *, clock=None, place: Place | None = None, relay_key: str | None = None) -> Flask:
    """Build the hub for `config`: open the store, load the demo catalog on first start.

    `place`: this process's place in a hall run as several (hub/scale, docs/scaling.md); they share their
    screens through the Redis of `config.processes`, and only the first (the writer) writes the file.

    Raises HallError when it cannot: `storage_unavailable` for a data folder that takes no writes, or the
    catalog's and demo program's own refusals."""
    place = place or Place()
    app = Flask(__name__, static_folder=None)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    queue = None
    if place.several:
        queue = HallQueue(config.processes["redis"], key=relay_key,
                          channel=config.processes["channel"] or default_channel(config.data_dir))
    # async_handlers=False: one screen's commands are handled one after another in the order sent (a staff
    # screen's sign-in, then its restock); different screens still run side by side.
    several = {"client_manager": queue, "cors_allowed_origins": partial(sibling_origin, place.ports)} if queue else {}
    socketio.init_app(app, async_mode="gevent", serializer=TextPacket, async_handlers=False,
                      ping_interval=10, ping_timeout=10, max_http_buffer_size=1_000_000, **several)
    with refused_on_storage_faults():  # the folder, the file and the ticket key beside it
        hall = Hall(config, socketio, clock=clock, place=place, queue=queue, relay_key=relay_key)
    app.extensions["hall"] = hall

    from .wire.http import bp
    from .wire.sockets import init_sockets
    app.register_blueprint(bp)
    init_sockets(socketio, hall)
    if not place.writer:
        return app  # the writer process loaded what the first start loads
    hall.load_cashiers()
    hall.load_demos_if_empty()
    loaded = hall.load_catalog_if_empty()
    if loaded:
        logging.getLogger(__name__).info("loaded catalog: %(products)d products from %(firms)d firms", loaded)
    return app
