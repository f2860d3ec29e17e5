"""python -m bench.strangers [--sockets 300]: what strangers on the network cost the hub, and how long they last.

Prints, for one hub on loopback:
- memory: the hub idle, then with N authenticated idle screens (kiosk sockets), then with N sockets that never
  show a token, each per socket;
- how long a tokenless socket lives (from its Engine.IO open to the hub closing its TCP connection);
- how many wrong pairing codes one address gets answered in a minute (the rest are told to wait);
- how long a request whose headers never end is held.
Bounded in count and time, talks to 127.0.0.1 only, and stops by itself.
"""
import argparse
import json
import socket
import statistics
import time
import urllib.error
import urllib.request

import socketio

from .hubproc import Hub

UPGRADE = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")


def tokenless(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(UPGRADE.encode())
    sock.recv(4096)
    return sock


def lifetime(sock: socket.socket, opened: float, limit: float = 30) -> float:
    """Seconds from `opened` until the hub closed the connection (limit if it never did)."""
    sock.settimeout(0.2)
    while time.monotonic() - opened < limit:
        try:
            if sock.recv(4096) == b"":
                break
        except socket.timeout:
            continue
        except OSError:
            break
    return time.monotonic() - opened


def settle(hub: Hub, seconds: float = 2.0) -> float:
    time.sleep(seconds)
    return hub.child.rss_mb()


def memory(hub: Hub, count: int) -> dict:
    idle = settle(hub)
    screens = []
    for token in hub.tokens["kiosk"][:count]:
        client = socketio.Client(reconnection=False)
        client.connect(hub.url, auth={"token": token}, transports=["websocket"], wait_timeout=10)
        screens.append(client)
    with_screens = settle(hub)
    strangers = [tokenless(hub.port) for _ in range(count)]
    with_strangers = hub.child.rss_mb()  # at once: they are closed within seconds
    waiting = hub.health()["tokenless"]["waiting"]
    for client in screens:
        client.disconnect()
    for sock in strangers:
        sock.close()
    return {"idle_mb": round(idle, 1), "screens": len(screens), "with_screens_mb": round(with_screens, 1),
            "kib_per_screen": round((with_screens - idle) * 1024 / max(1, len(screens)), 1),
            "tokenless": count, "tokenless_waiting_seen": waiting,
            "with_tokenless_mb": round(with_strangers, 1),
            "kib_per_tokenless": round((with_strangers - with_screens) * 1024 / max(1, count), 1)}


def lifetimes(hub: Hub, count: int = 20) -> dict:
    opened = []
    for _ in range(count):
        opened.append((tokenless(hub.port), time.monotonic()))
    lived = [lifetime(sock, at) for sock, at in opened]
    for sock, _ in opened:
        sock.close()
    return {"sockets": count, "mean_s": round(statistics.mean(lived), 2), "max_s": round(max(lived), 2)}


def pairing_guesses(hub: Hub, tries: int = 120) -> dict:
    answered, slowed = 0, 0
    started = time.monotonic()
    for number in range(tries):
        request = urllib.request.Request(hub.url + "/api/pair", data=json.dumps({"code": f"ZZZZ-{number:04d}"}).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as refused:
            if refused.code == 429:
                slowed += 1
            else:
                answered += 1
    return {"tries": tries, "seconds": round(time.monotonic() - started, 2), "checked": answered,
            "told_to_wait": slowed, "checked_per_minute": answered}


def slow_headers(hub: Hub) -> dict:
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
    sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
    held = lifetime(sock, time.monotonic(), limit=90)
    sock.close()
    return {"held_s": round(held, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=300)
    args = parser.parse_args()
    with Hub("strangers", {"kiosk": args.sockets}) as hub:
        results = {"memory": memory(hub, args.sockets), "tokenless_lifetime": lifetimes(hub),
                   "pairing_guesses": pairing_guesses(hub), "slow_headers": slow_headers(hub)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
