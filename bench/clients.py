"""Client worker process: many asyncio Socket.IO clients that listen, or sell, on command.

  python -m bench.clients listen   --url U [--tokens-file F --role kiosk] --first I --count N --out FILE [--lean]
  python -m bench.clients checkout --url U --tokens-file F --first I --count N --out FILE --seconds S

It connects its clients, prints "READY <n>", waits for a line on stdin
("GO" to start selling; "STOP" to end listening; "COUNT" asks a listener how
many events its clients have had so far), writes its findings to
--out as JSON and prints "DONE". A hard deadline (--max-seconds) ends it even
if the parent never speaks; closing stdin ends it too.
"""
import argparse
import asyncio
import functools
import gc
import json
import random
import sys
import time
import uuid

import socketio

CONNECT_BATCH = 25
CONNECT_TIMEOUT = 20


def sale_payload(chooser: random.Random, products: list[dict]) -> dict:
    """A cash sale of one or two of `products`, one unit each, paid exactly."""
    picked = chooser.sample(products, chooser.choice((1, 2)))
    total = sum(p["price"] for p in picked)
    return {"sale_id": str(uuid.uuid4()), "lines": [{"sku": p["sku"], "qty": 1} for p in picked],
            "payments": [{"method": "cash", "amount": total}]}


@functools.cache
def _tokens(path: str, role: str) -> list[str]:
    with open(path) as handle:
        return json.load(handle)[role]


def _auth(args, index: int) -> dict:
    if args.tokens_file is None:
        return {"role": "listener"}  # the bare server lets anyone in
    return {"token": _tokens(args.tokens_file, args.role)[index]}


async def _connect_all(args, make_client) -> list:
    """Connect --count clients, CONNECT_BATCH at a time; the ones that fail are left out."""
    clients, failures = [], []
    indexes = list(range(args.first, args.first + args.count))
    for start in range(0, len(indexes), CONNECT_BATCH):
        batch = [make_client(i) for i in indexes[start:start + CONNECT_BATCH]]
        results = await asyncio.gather(
            *(sio.connect(args.url, auth=_auth(args, i), transports=["websocket"], wait_timeout=CONNECT_TIMEOUT)
              for sio, i in batch), return_exceptions=True)
        for (sio, _), result in zip(batch, results):
            if isinstance(result, BaseException):
                failures.append(repr(result))
            else:
                clients.append(sio)
    if failures:
        print(f"connect failures: {len(failures)}: {failures[:3]}", file=sys.stderr, flush=True)
    return clients


def _quiet_gc() -> None:
    """No cyclic garbage collection while measuring: a full pass over a hundred clients' objects
    stalls every client in the process at once, which would be charged to the server. The run is
    short and bounded, and the garbage it makes is freed by reference counting anyway."""
    gc.collect()
    gc.freeze()
    gc.disable()


async def _stdin_lines():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return reader


async def _next_command(reader, deadline: float) -> str:
    try:
        line = await asyncio.wait_for(reader.readline(), timeout=max(0.0, deadline - time.monotonic()))
    except asyncio.TimeoutError:
        return "TIMEOUT"
    return line.decode().strip() or "EOF"


async def _close_all(clients) -> None:
    await asyncio.wait_for(asyncio.gather(*(sio.disconnect() for sio in clients), return_exceptions=True),
                           timeout=15)


class LeanListener:
    """A listen-only Socket.IO client on a bare aiohttp websocket: far less CPU per event than AsyncClient.

    It speaks just enough of Engine.IO 4 / Socket.IO 5 to join and listen:
    open ("0{...}"), namespace connect ("40{auth}" -> "40{sid}"), pings ("2"
    -> "3") and events ('42["event", {...}]'). It exists so that the client
    side of the push benchmark takes less of the two cores the hub needs.
    """

    def __init__(self, on_event, on_disconnect):
        self._on_event, self._on_disconnect = on_event, on_disconnect
        self._session = self._ws = self._reader = None

    async def connect(self, url, auth, transports=None, wait_timeout=CONNECT_TIMEOUT):
        import aiohttp
        self._session = aiohttp.ClientSession()
        ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        try:
            self._ws = await self._session.ws_connect(ws_url, timeout=wait_timeout)
            opened = await asyncio.wait_for(self._ws.receive_str(), wait_timeout)
            if not opened.startswith("0"):
                raise ConnectionError(f"no engine.io open packet: {opened[:80]}")
            await self._ws.send_str("40" + json.dumps(auth))
            joined = await asyncio.wait_for(self._ws.receive_str(), wait_timeout)
            if not joined.startswith("40"):
                raise ConnectionError(f"refused: {joined[:200]}")
        except BaseException:
            await self._session.close()
            raise
        self._reader = asyncio.create_task(self._read())

    async def _read(self):
        import aiohttp
        ws = self._ws
        try:
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                data = message.data
                if data.startswith("42"):
                    name, *payload = json.loads(data[2:])
                    if name == "event" and payload:
                        self._on_event(payload[0])
                elif data == "2":
                    await ws.send_str("3")
                elif data.startswith("41") or data == "1":
                    break
        finally:
            self._on_disconnect("connection closed")

    async def disconnect(self):
        if self._ws is not None and not self._ws.closed:
            try:
                await self._ws.send_str("41")
            finally:
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
        if self._session is not None:
            await self._session.close()


async def listen(args) -> dict:
    """Record when each stock event arrives at each client, keyed by "sku:on_hand"."""
    received: list[dict[str, float]] = []
    state = {"dups": 0, "disconnects": 0, "why": {}, "other": 0, "counting": False}

    def make_client(index):
        seen: dict[str, float] = {}
        received.append(seen)

        def on_event(event):
            now = time.monotonic()
            if event.get("type") != "stock.changed":
                state["other"] += 1
                return
            key = f"{event['data']['sku']}:{event['data']['on_hand']}"
            if key in seen:
                state["dups"] += 1
            else:
                seen[key] = now

        def on_disconnect(reason="?"):
            if state["counting"]:
                state["disconnects"] += 1
                why = str(reason)
                state["why"][why] = state["why"].get(why, 0) + 1
                print(f"{time.monotonic():.3f} client {index} disconnected: {why}", file=sys.stderr, flush=True)

        if args.lean:
            return LeanListener(on_event, on_disconnect), index
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("event", on_event)
        sio.on("disconnect", on_disconnect)
        return sio, index

    deadline = time.monotonic() + args.max_seconds
    reader = await _stdin_lines()
    clients = await _connect_all(args, make_client)
    state["counting"] = True
    _quiet_gc()
    print(f"READY {len(clients)}", flush=True)
    while (command := await _next_command(reader, deadline)) == "COUNT":
        print(f"COUNT {sum(len(seen) for seen in received)}", flush=True)
    gc.enable()
    state["counting"] = False
    arrivals: dict[str, list[float]] = {}
    for seen in received:
        for key, at in seen.items():
            arrivals.setdefault(key, []).append(at)
    await _close_all(clients)
    return {"connected": len(clients), "ended_by": command, "arrivals": arrivals, "duplicates": state["dups"],
            "disconnects": state["disconnects"], "disconnect_reasons": state["why"],
            "other_events": state["other"]}


async def checkout(args) -> dict:
    """Each client sells back to back until --seconds pass or --max-sales are made in all."""
    with open(args.products) as handle:
        products = json.load(handle)
    events = {"n": 0}

    def make_client(index):
        sio = socketio.AsyncClient(reconnection=False)

        def on_event(event):
            events["n"] += 1  # a POS hears every sale and stock change in the hall

        sio.on("event", on_event)
        return sio, index

    deadline = time.monotonic() + args.max_seconds
    reader = await _stdin_lines()
    clients = await _connect_all(args, make_client)
    # Each till signs the bench cashier in with a PIN first, as a till does; its sales carry the sign-in.
    with open(args.tokens_file) as handle:
        cashier = json.load(handle)["cashier"]
    signed = await asyncio.gather(*(sio.call("login", cashier, timeout=30) for sio in clients))
    sign_ins = {id(sio): answer["sign_in"] for sio, answer in zip(clients, signed)}
    _quiet_gc()
    print(f"READY {len(clients)}", flush=True)
    command = await _next_command(reader, deadline)
    latencies, errors = [], {}
    budget = {"left": args.max_sales}
    start = time.monotonic()
    stop_at = start + args.seconds if command == "GO" else start

    async def sell(sio, seed):
        chooser = random.Random(seed)
        while time.monotonic() < stop_at and budget["left"] > 0:
            budget["left"] -= 1
            payload = {**sale_payload(chooser, products), "sign_in": sign_ins[id(sio)]}
            sent = time.monotonic()
            try:
                ack = await sio.call("checkout", payload, timeout=15)
            except Exception as failure:  # a timeout or a dropped link: count it and go on
                errors[type(failure).__name__] = errors.get(type(failure).__name__, 0) + 1
                continue
            if ack.get("ok"):
                latencies.append(time.monotonic() - sent)
            else:
                code = ack.get("error", {}).get("code", "?")
                errors[code] = errors.get(code, 0) + 1

    await asyncio.gather(*(sell(sio, args.first * 1000 + n) for n, sio in enumerate(clients)))
    end = time.monotonic()
    gc.enable()
    await _close_all(clients)
    return {"connected": len(clients), "ok": len(latencies), "errors": errors, "latencies": latencies,
            "start": start, "end": end, "events_heard": events["n"]}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.clients")
    parser.add_argument("mode", choices=("listen", "checkout"))
    parser.add_argument("--url", required=True)
    parser.add_argument("--tokens-file")
    parser.add_argument("--role", default="kiosk")
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--max-sales", type=int, default=100_000)
    parser.add_argument("--products", help="JSON list of {sku, price} to sell")
    parser.add_argument("--lean", action="store_true", help="listen with LeanListener instead of AsyncClient")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    result = asyncio.run(listen(args) if args.mode == "listen" else checkout(args))
    with open(args.out, "w") as handle:
        json.dump(result, handle)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
