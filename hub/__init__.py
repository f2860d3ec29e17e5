"""The hall's hub: the one source of truth that every kiosk, POS and staff screen talks to."""
import logging

from flask import Flask
from flask_socketio import SocketIO

from .config import HallConfig
from .wire.fanout import TextPacket
from .hall import Hall
from .store.database import refused_on_storage_faults

# Bound to the app in create_app; one hub per process.
socketio = SocketIO()


def create_app(config: HallConfig, *, clock=None) -> Flask:
    """Build the hub for `config`: open the store, load the demo catalog on first start.

    Raises HallError when it cannot: `storage_unavailable` for a data folder that takes no writes, or the
    catalog's and demo program's own refusals."""
    app = Flask(__name__, static_folder=None)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    # async_handlers=False: one screen's commands are handled one after another in the order sent (a staff
    # screen's sign-in, then its restock); different screens still run side by side.
    socketio.init_app(app, async_mode="gevent", serializer=TextPacket, async_handlers=False,
                      ping_interval=10, ping_timeout=10, max_http_buffer_size=1_000_000)
    with refused_on_storage_faults():  # the folder, the file and the ticket key beside it
        hall = Hall(config, socketio, clock=clock)
    app.extensions["hall"] = hall

    from .wire.http import bp
    from .wire.sockets import init_sockets
    app.register_blueprint(bp)
    init_sockets(socketio, hall)
    hall.load_cashiers()
    hall.load_demos_if_empty()
    loaded = hall.load_catalog_if_empty()
    if loaded:
        logging.getLogger(__name__).info("loaded catalog: %(products)d products from %(firms)d firms", loaded)
    return app
