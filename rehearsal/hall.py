"""The rehearsal's hall: a hall.toml whose printers are fake network printers on loopback, its devices'
tokens, and the hub process itself, which the faults kill and start again on the same port and data."""
import json
import os
import signal
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.hubproc import Child, free_port, wait_http
from rehearsal.fake_printer import FakePrinter

ROOT = Path(__file__).resolve().parent.parent
SEOUL = ZoneInfo("Asia/Seoul")
CASHIER = {"cashier_id": "c01", "pin": "1234"}
# config/hall.toml's demo cashier c01, PIN 1234.
CASHIER_HASH = ("scrypt$584acc0cc869d656b7a9b32611b2f80f$"
                "23d54b3c3bbe385f9d3e780e065e44bd1e5fc7ca504861295b8c61aa7bab1599")
STAFF = {"name": "rehearsal-staff", "password": "rehearsal-password-1"}
DEMO = ("COBOT{n},협동로봇 시연 {n},Cobot Demo {n},(주)유진로보틱스,A-103,"
        "협동로봇이 커피를 내립니다.,A cobot makes coffee.")


def device_names(hall: dict) -> dict[str, list[str]]:
    return {"pos": [f"pos-{n}" for n in range(1, hall["tills"] + 1)],
            "kiosk": [f"kiosk-{n}" for n in range(1, hall["kiosks"] + 1)],
            "scanner": [f"scanner-{n}" for n in range(1, hall["door_scanners"] + 1)],
            "staff": [f"staff-{n}" for n in range(1, hall["staff_screens"] + 1)]}


def printer_of(device: str) -> str | None:
    """Each till prints on its counter's printer, the kiosks share two, the doors one."""
    role, number = device.rsplit("-", 1)
    return {"pos": f"counter-{number}", "kiosk": f"kiosk-printer-{(int(number) - 1) % 2 + 1}",
            "scanner": "demo-door"}.get(role)


def demo_program(folder: Path, hall: dict, now: datetime, run_seconds: float) -> Path:
    """Sessions starting after the run has ended, so every ticket is good at the door for the whole run."""
    starts = (now + timedelta(seconds=run_seconds + 300)).replace(second=0, microsecond=0)
    rows = ["demo_id,name,name_en,firm,booth,description,description_en,day,time,minutes,capacity"]
    for n in range(hall["demo_sessions"]):
        when = starts + timedelta(minutes=n)
        rows.append(f"{DEMO.format(n=n + 1)},1,{when:%H:%M},30,{hall['demo_capacity']}")
    path = folder / "demos.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def write_config(folder: Path, hall: dict, printers: dict[str, FakePrinter], now: datetime,
                 run_seconds: float) -> Path:
    demos = demo_program(folder, hall, now, run_seconds)
    stations = {name: printer_of(name) for names in device_names(hall).values() for name in names}
    text = [
        '[hall]\nname = "리허설 판매관"\nname_en = "Rehearsal Sales Hall"\nbusiness_no = "214-82-12343"\n'
        'representative = "김조달"\naddress = "인천광역시 연수구 센트럴로 123"\nphone = "032-123-4567"\n'
        'timezone = "Asia/Seoul"\n',
        f'[sales]\nhold_seconds = {int(hall["hold_seconds"])}\n',
        f'[[cashiers]]\nid = "{CASHIER["cashier_id"]}"\nname = "김계산"\npin_hash = "{CASHIER_HASH}"\n',
        # The whole hall is one address here: room for every screen and its reconnects.
        '[trust]\nconnections_per_address = 2000\n',
        f'[catalog]\nfile = "{(ROOT / "config" / "catalog.csv").as_posix()}"\n',
        f'[show]\nfirst_day = "{now.date().isoformat()}"\n',
        # Doors open to a session's tickets from the run's first minute to past its last.
        f'[demos]\nfile = "{demos.as_posix()}"\nearly_minutes = {int(run_seconds // 60) + 30}\n',
    ]
    for name, printer in printers.items():
        text.append(f'[printers.{name}]\ntype = "network"\nhost = "127.0.0.1"\nport = {printer.port}\n'
                    f'columns = {32 if name == "demo-door" else 48}\nconnect_timeout = 1.0\nread_timeout = 1.0\n')
    text.append("[stations]\n" + "".join(f'{device} = "{printer}"\n' for device, printer in stations.items()
                                        if printer in printers))
    path = folder / "hall.toml"
    path.write_text("\n".join(text), encoding="utf-8")
    return path


def start_printers(hall: dict, lifetime: float) -> dict[str, FakePrinter]:
    names = sorted({printer_of(device) for names in device_names(hall).values() for device in names} - {None})
    return {name: FakePrinter(lifetime=lifetime).start() for name in names}


def mint(data_dir: Path, hall: dict) -> list[dict]:
    """A token for every device and the staff member, in one transaction, as `run_hall.py token` makes them."""
    from hub.rules import devices, staff
    from hub.store import Store

    calls, who = [], []
    for role, names in device_names(hall).items():
        for name in names:
            calls.append((devices.mint_token, (role, name), {}))
            who.append((role, name))
    calls.append((staff.add, (STAFF["name"], STAFF["password"]), {}))
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / "hall.db")
    try:
        outcomes = store.run_batch(calls, now=datetime.now(SEOUL))
    finally:
        store.close()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [{"role": role, "name": name, "token": outcome[0]["token"]}
            for (role, name), outcome in zip(who, outcomes)]


class HubRunner:
    """`run_hall.py` on a fixed loopback port and data folder: started, SIGKILLed, started again."""

    def __init__(self, data_dir: Path, config: Path, slow_disk_file: Path):
        self.data_dir, self.config = data_dir, config
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.slow_disk_file = slow_disk_file
        self.child: Child | None = None
        self.cpu_before = 0.0  # CPU seconds of the hub processes killed earlier
        self.starts = 0

    def start(self) -> None:
        os.environ["HALL_SLOW_DISK_FILE"] = str(self.slow_disk_file)  # inherited by the hub only
        argv = [sys.executable, str(ROOT / "run_hall.py"), "--data", str(self.data_dir), "--port", str(self.port),
                "--config", str(self.config)]
        self.child = Child(argv, self.data_dir / "hub.log")
        wait_http(self.url + "/api/health", self.child, timeout=60)
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL, as when the hub's laptop loses power: no clean-up at all."""
        self.cpu_before += self.child.cpu_seconds()
        os.kill(self.child.pid, signal.SIGKILL)
        self.child.process.wait(timeout=10)
        self.child.stop()
        self.child = None

    def cpu_seconds(self) -> float:
        return self.cpu_before + (self.child.cpu_seconds() if self.child else 0.0)

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(self.url + "/api/health", timeout=2) as answer:
                return json.load(answer)
        except OSError:
            return None

    def stop(self) -> None:
        if self.child:
            self.cpu_before += self.child.cpu_seconds()
            self.child.stop()
            self.child = None


class Sampler(threading.Thread):
    """Once a second: the hub's CPU time and what /api/health says of the writer and each printer's queue."""

    def __init__(self, hub: HubRunner):
        super().__init__(name="rehearsal-sampler", daemon=True)
        self.hub = hub
        self.samples: list[dict] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.wait(1.0):
            health = self.hub.health()
            sample = {"t": time.time() * 1000, "cpu": self.hub.cpu_seconds(), "up": health is not None}
            if health:
                sample["queues"] = {p["printer"]: p["queued"] for p in health["printers"]}
                sample["writer_queue"] = health["writer"]["queue"]
                sample["status"] = health["status"]
            self.samples.append(sample)

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join(5)
