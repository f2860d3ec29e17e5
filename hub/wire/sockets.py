"""Socket.IO: authenticate at connect, then check the role and dispatch each command.

The handlers themselves live in hub/commands/, registered in hub/registry.py.
"""
import logging

from flask import request
from flask_socketio import ConnectionRefusedError, join_room

from . import commands  # noqa: F401  (registers every command)
from . import payloads
from ..rules import devices
from ..errors import HallError
from .registry import COMMANDS

log = logging.getLogger(__name__)


def _answer(hall, name: str, sid: str, payload) -> dict:
    device = hall.connections.get(sid)
    if device is None:
        return HallError("unauthorized", "this connection is not signed in").to_ack()
    hall.connections.seen(sid)
    spec = COMMANDS[name]
    if device["role"] not in spec["roles"]:
        return HallError("forbidden", f"a {device['role']} may not send {name}").to_ack()
    if spec["signed_in"] and device["role"] == "staff" and not device.get("person"):
        return HallError("sign_in_required", "sign in with your staff name and password first").to_ack()
    try:
        payloads.well_formed(payload)
        return {"ok": True, **spec["handler"](hall, device, payload)}
    except HallError as refused:
        return refused.to_ack()
    except Exception:
        log.exception("command %s from %s failed", name, device["name"])
        return HallError("internal", "the hub could not do this; nothing was changed").to_ack()


def init_sockets(socketio, hall) -> None:
    @socketio.on("connect")
    def connect(auth):
        token = auth.get("token") if isinstance(auth, dict) else None
        device = devices.authenticate(hall.store.read_db, token)
        if device is None:
            raise ConnectionRefusedError("unauthorized")
        hall.doorman.admit(hall.socketio.server.manager.eio_sid_from_sid(request.sid, "/"))
        first = not hall.connections.sids_of(device["name"])
        hall.connections.add(request.sid, device)
        join_room(f"role:{device['role']}")
        join_room(f"device:{device['name']}")
        if first:
            _tell_presence(hall, device, online=True)

    @socketio.on("disconnect")
    def on_disconnect(reason=None):
        device = hall.connections.get(request.sid)
        hall.connections.remove(request.sid)
        if device and not hall.connections.sids_of(device["name"]):
            _tell_presence(hall, device, online=False)

    # Commands go straight to python-socketio: Flask-SocketIO would build a Flask
    # request context (URL matching included) for every one, a sixth of the
    # hub's time per sale (BENCHMARKS.md), and no command reads it.
    for name in COMMANDS:
        socketio.server.on(name, _bind(hall, name), namespace="/")


def _tell_presence(hall, device: dict, *, online: bool) -> None:
    # Not a numbered event: who is connected is a fact of this hub process, not of the hall's record (after a
    # restart nobody is), so it is not logged; a staff screen re-reads `devices` when it reconnects.
    presence = {"name": device["name"], "role": device["role"], "online": online,
                "at": hall.connections.last_seen[device["name"]]}
    hall.socketio.server.emit("presence", presence, to="role:staff", namespace="/")


def _bind(hall, name):
    def handler(sid, payload=None):
        return _answer(hall, name, sid, payload)
    handler.__name__ = f"command_{name}"
    return handler
