"""Socket.IO: authenticate at connect, then check the role and dispatch each command.

The handlers themselves live in hub/wire/commands/, registered in hub/wire/registry.py. A command the hub
does not know, and a frame it cannot read, still get an acknowledgement when the screen asked for one, so a
screen hears `unknown_command` or `malformed` at once instead of waiting out its timeout.
"""
import logging
import re
import time

import gevent
from flask import request
from flask_socketio import ConnectionRefusedError, join_room
from socketio import packet as sio_packet

from . import commands  # noqa: F401  (registers every command)
from . import payloads
from ..rules import devices, visitors
from ..errors import HallError, internal, restarting
from ..events import VISITOR
from .fanout import NAMESPACE, TextPacket
from .registry import COMMANDS

log = logging.getLogger(__name__)

# How long an answer is given to leave before its socket is closed by the hub.
ANSWER_FIRST_SECONDS = 0.2
# An event frame's head: type 2 (EVENT), an optional namespace, then the ack id the client waits on.
EVENT_ACK_ID = re.compile(r"^2(?:/[^,]*,)?(\d{1,15})")


def _answer(hall, name: str, sid: str, payload, extra=()) -> dict:
    device = hall.connections.get(sid)
    if device is None:
        return HallError("unauthorized", "this connection is not signed in").to_ack()
    hall.connections.seen(sid)
    if device["role"] == VISITOR:
        if device["expires"] <= hall.clock().timestamp():
            # A session that ran out while connected ends as one refused at connect would: the page asks anew.
            # The socket is closed a moment after this answer, so the answer is heard first.
            gevent.spawn_later(ANSWER_FIRST_SECONDS, hall.socketio.server.disconnect, sid, namespace="/")
            return HallError("unauthorized", "this phone's session has ended; ask for a new one").to_ack()
        wait = hall.visitor_pace.take(device["name"])
        if wait:
            return HallError("slow_down", "this phone sent too many commands; wait a moment",
                             retry_after=round(wait, 1)).to_ack()
    if extra:
        return _malformed(f"send {name} with one payload object, not {1 + len(extra)} arguments").to_ack()
    spec = COMMANDS[name]
    if device["role"] not in spec["roles"]:
        return HallError("forbidden", f"a {device['role']} may not send {name}").to_ack()
    if spec["signed_in"] and device["role"] == "staff" and not device.get("person"):
        return HallError("sign_in_required", "sign in with your staff name and password first").to_ack()
    if hall.stopping:
        return restarting().to_ack()
    hall.in_flight += 1  # a clean stop waits for these
    try:
        payloads.well_formed(payload)
        return {"ok": True, **spec["handler"](hall, device, payload)}
    except HallError as refused:
        return refused.to_ack()
    except Exception:
        log.exception("command %s from %s failed", name, device["name"])
        return internal().to_ack()
    finally:
        hall.in_flight -= 1


def init_sockets(socketio, hall) -> None:
    @socketio.on("connect")
    def connect(auth):
        token = auth.get("token") if isinstance(auth, dict) else None
        if visitors.looks_like_token(token):
            device = visitors.authenticate(hall.store.read_db, token, secret=hall.visitor_secret, now=hall.clock())
        else:
            device = devices.authenticate(hall.store.read_db, token)
        # A connection that came in as a phone's (?visitor=1, counted apart by hub/wire/server.py) must be one:
        # a screen's token there would get round the screens' own budget per address.
        if device is None or (request.args.get("visitor") == "1" and device["role"] != VISITOR):
            raise ConnectionRefusedError("unauthorized")
        hall.doorman.admit(hall.socketio.server.manager.eio_sid_from_sid(request.sid, "/"))
        if device["role"] == VISITOR:
            _admit_visitor(hall, device)
            return
        first = not hall.connections.sids_of(device["name"])
        hall.connections.add(request.sid, device)
        join_room(f"role:{device['role']}")
        join_room(f"device:{device['name']}")
        if first:
            _tell_presence(hall, device, online=True)
        if device["role"] == "staff":
            hall.health.tell(request.sid)  # a staff screen (re)connecting learns how the hub is at once

    @socketio.on("disconnect")
    def on_disconnect(reason=None):
        device = hall.connections.get(request.sid)
        hall.connections.remove(request.sid)
        hall.watchers.forget(request.sid)
        if device and device["role"] != VISITOR and not hall.connections.sids_of(device["name"]):
            _tell_presence(hall, device, online=False)

    # Commands go straight to python-socketio: Flask-SocketIO would build a Flask
    # request context (URL matching included) for every one, a sixth of the
    # hub's time per sale (BENCHMARKS.md), and no command reads it.
    for name in COMMANDS:
        socketio.server.on(name, _bind(hall, name), namespace="/")

    # Any other event name: python-socketio's catch-all gets it, with the name first.
    def unknown(event, sid, *args):
        if hall.connections.get(sid) is None:
            return HallError("unauthorized", "this connection is not signed in").to_ack()
        if not isinstance(event, str):
            return _malformed("a command's name must be a string").to_ack()
        shown = event if len(event) <= 40 else event[:40] + "…"
        return HallError("unknown_command", f"the hub has no command {shown!r}", command=shown).to_ack()

    socketio.server.on("*", unknown, namespace="/")
    guard_frames(socketio.server)


def _admit_visitor(hall, device: dict) -> None:
    """A phone joins only its own room (push `mine`): no role's room, so no event reaches it as such, and no
    presence is told (thousands of phones coming and going are not news for the staff screen). Its sid is kept
    with it, for `watch`."""
    hall.connections.add(request.sid, {**device, "sid": request.sid})
    join_room(f"visitor:{device['name']}")


def _malformed(message: str) -> HallError:
    return HallError("malformed", message)


def guard_frames(server) -> None:
    """Answer an event frame python-socketio cannot read (bad JSON, no event name, a name that is not a
    string) with `malformed`, when the frame carries an ack id and its socket is connected."""
    handle = server.eio.handlers["message"]

    def guarded(eio_sid, data):
        try:
            return handle(eio_sid, data)
        except Exception as broken:
            found = EVENT_ACK_ID.match(data) if isinstance(data, str) else None
            if found is None or server.manager.sid_from_eio_sid(eio_sid, NAMESPACE) is None:
                raise  # Engine.IO logs it, as before
            log.warning("malformed frame from %s: %s", eio_sid, broken)
            answer = _malformed("the hub could not read this frame: send [\"command\", {payload}]").to_ack()
            server.eio.send(eio_sid, TextPacket(sio_packet.ACK, namespace=NAMESPACE, id=int(found[1]),
                                                data=[answer]).encode())

    server.eio.on("message", guarded)


def _tell_presence(hall, device: dict, *, online: bool) -> None:
    # Not a numbered event: who is connected is a fact of this hub process, not of the hall's record (after a
    # restart nobody is), so it is not logged; a staff screen re-reads `devices` when it reconnects.
    presence = {"name": device["name"], "role": device["role"], "online": online,
                "at": hall.connections.last_seen[device["name"]]}
    hall.socketio.server.emit("presence", presence, to="role:staff", namespace="/")


def _bind(hall, name):
    def handler(sid, payload=None, *extra):
        started = time.perf_counter()
        ack = _answer(hall, name, sid, payload, extra)
        hall.metrics.answered(name, payload, ack, time.perf_counter() - started)
        return ack
    handler.__name__ = f"command_{name}"
    return handler
