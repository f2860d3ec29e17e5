"""The hub's resident memory (RSS) idle, with 300 idle websocket clients, and after they leave."""
import time

from .hubproc import Hub, Worker, remove, scratch_dir

CONNECTIONS = 300
PROCESSES = 2
SETTLE_SECONDS = 3.0


def hub_memory(connections: int = CONNECTIONS, settle: float = SETTLE_SECONDS) -> dict:
    """RSS of a fresh hub before, with `connections` idle kiosk clients, and after they disconnect."""
    folder = scratch_dir("memory-clients")
    workers = []
    try:
        with Hub("memory", {"kiosk": connections}) as hub:
            time.sleep(settle)
            before = hub.child.rss_mb()
            per_process = -(-connections // PROCESSES)
            connect_started = time.monotonic()
            for index in range(PROCESSES):
                first = index * per_process
                workers.append(Worker(f"idle-{index}", "listen", hub.url, min(per_process, connections - first),
                                      folder=folder, first=first, tokens_file=hub.tokens_file, role="kiosk",
                                      max_seconds=120))
            connected = sum(worker.wait_ready() for worker in workers)
            connect_seconds = time.monotonic() - connect_started
            time.sleep(settle)
            counted = hub.health()["connections"]
            during = hub.child.rss_mb()
            disconnect_started = time.monotonic()
            for worker in workers:
                worker.send("STOP")
            for worker in workers:
                worker.result()
            disconnect_seconds = time.monotonic() - disconnect_started
            time.sleep(settle)
            after = hub.child.rss_mb()
            left = hub.health()["connections"]
        return {"connections": connections, "connected": connected, "hub_counted": counted,
                "rss_before_mb": round(before, 1), "rss_connected_mb": round(during, 1),
                "rss_after_mb": round(after, 1),
                "kb_per_connection": round((during - before) * 1024 / max(1, connected), 1),
                "connect_all_s": round(connect_seconds, 2), "disconnect_all_s": round(disconnect_seconds, 2),
                "hub_counted_after": left, "hub_log_problems": hub.log_problems[:20]}
    finally:
        for worker in workers:
            worker.stop()
        remove(folder)
