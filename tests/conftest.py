"""Shared fixtures: a small test catalog, a fresh store, and a real hub on loopback."""
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hub.rules import cashiers, catalog, sign_ins
from hub.rules.cashiers import hash_pin
from hub.store import Store
from tests.clusterproc import ClusterProcess
from tests.hubproc import HubProcess

SEOUL = ZoneInfo("Asia/Seoul")
# Fixed time for domain tests: no test may depend on the clock.
NOON = datetime(2026, 11, 25, 12, 0, 0, tzinfo=SEOUL)

# Small, exact stock: tests race for these units.
TEST_CATALOG = """sku,barcode,name,name_en,firm,firm_en,booth,category,price,stock,tax_free,tags
ROBOT,8801234567893,교육용 로봇 키트,Robot Kit,(주)한빛로보틱스,Hanbit Robotics,A-101,robot,55000,10,0,innovative-product
RICE,8801234567800,유기농 쌀 2kg,Organic Rice 2kg,농부들영농조합,Farmers Co-op,B-201,food,12000,50,1,
LAST,8801111111119,한정판 드론,Limited Drone,(주)하늘드론,Sky Drone,C-301,drone,99000,3,0,ces-showcase
PEN,8802222222220,친환경 볼펜,Eco Pen,그린문구,Green Stationery,D-401,stationery,1100,500,0,eco-certified
GONE,8803333333331,품절 상품,Sold Out Item,(주)한빛로보틱스,Hanbit Robotics,A-101,robot,30000,0,0,
"""


@pytest.fixture
def catalog_csv(tmp_path) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_text(TEST_CATALOG, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path):
    """A fresh hall file with the test catalog loaded."""
    fresh = Store(tmp_path / "hall.db")
    fresh.run(catalog.load_catalog, catalog.parse_catalog(TEST_CATALOG), source="test", now=NOON)
    yield fresh
    fresh.close()


def signed_in(store, cashier_id: str = "c01", *, device: str = "pos-1", now=NOON) -> str:
    """A sign-in secret for `cashier_id` at `device`, as a PIN sign-in at the till gives one (the cashier is
    added with PIN 1234 if the hall does not know them)."""
    if not store.read_db.execute("SELECT 1 FROM cashiers WHERE cashier_id = ?", [cashier_id]).fetchone():
        store.run(cashiers.upsert, cashier_id, f"{cashier_id} 계산원", cashiers.hash_pin("1234"), supervisor=False,
                  now=now)

    def start(db, *, now):
        return sign_ins.start(db, device=device, cashier_id=cashier_id, now=now), []
    return store.run(start, now=now)[0]


# The test halls' cashiers, as hall.toml lists them: c01 (PIN 1234) and supervisor s01 (PIN 9999).
CASHIERS_TOML = f"""
[[cashiers]]
id = "c01"
name = "김계산"
pin_hash = "{hash_pin('1234')}"

[[cashiers]]
id = "s01"
name = "박감독"
supervisor = true
pin_hash = "{hash_pin('9999')}"
"""


def hall_config(tmp_path: Path, catalog_path: Path, hold_seconds: int = 900, extra: str = "") -> Path:
    """A hall.toml for a test; `extra` adds TOML such as printers and stations."""
    config = tmp_path / "hall.toml"
    config.write_text(
        f'[hall]\nname = "테스트 판매관"\nbusiness_no = "123-45-67890"\nrepresentative = "홍길동"\n'
        f'address = "서울특별시 강남구 테헤란로 1"\nphone = "02-000-0000"\n\n'
        f'[sales]\nhold_seconds = {hold_seconds}\n\n[catalog]\nfile = "{catalog_path.as_posix()}"\n\n{extra}',
        encoding="utf-8")
    return config


@contextmanager
def running_till_hub(tmp_path: Path, catalog_path: Path, extra: str, **options):
    """A started hub whose test tills sign in the hall's cashier c01 (CASHIERS_TOML within `extra`), stopped
    at the end; `options` go to HubProcess (lan_name)."""
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_path, extra=extra), **options)
    process.till_cashier = ("c01", "1234")
    process.start()
    try:
        yield process
    finally:
        process.stop()


PROGRAM_HEADER = "demo_id,name,name_en,firm,booth,description,description_en,day,time,minutes,capacity"


def program_row(demo: str, starts: datetime, minutes: int, capacity: int, first_day) -> str:
    """One demos.csv row: `demo` is its first seven columns, `starts` given as the show's day and time."""
    return f"{demo},{(starts.date() - first_day).days + 1},{starts:%H:%M},{minutes},{capacity}"


def show_toml(first_day) -> str:
    """hall.toml's [show] section naming the show's first day, so a test never hangs on the day it runs."""
    return f'[show]\nfirst_day = "{first_day.isoformat()}"\n\n'


def cobot_demo_hub(tmp_path: Path, catalog_csv: Path, *, capacity: int, description: tuple[str, str] = ("", ""),
                   extra: str = "", starts_in: timedelta = timedelta(minutes=10)) -> HubProcess:
    """A started hub whose program is one COBOT session at booth A-103 in ten minutes; `slot_id` names it."""
    now = datetime.now(SEOUL)
    soon = (now + starts_in).replace(second=0, microsecond=0)
    demo = f"COBOT,협동로봇 시연,Cobot Demo,(주)유진로보틱스,A-103,{description[0]},{description[1]}"
    (tmp_path / "demos.csv").write_text(
        f"{PROGRAM_HEADER}\n{program_row(demo, soon, 30, capacity, now.date())}\n", encoding="utf-8")
    config = hall_config(tmp_path, catalog_csv, extra=show_toml(now.date()) + '[demos]\nfile = "demos.csv"\n\n' + extra)
    process = HubProcess(tmp_path / "data", config).start()
    process.slot_id = f"COBOT-{soon:%m%d%H%M}"
    return process


@pytest.fixture
def hub(tmp_path, catalog_csv):
    """A running hub on a free loopback port, stopped after the test."""
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv)).start()
    yield process
    process.stop()


@pytest.fixture
def cluster(tmp_path, catalog_csv):
    """A hall of two hub processes (the writer, 0, and a serving one, 1) and its own redis-server, stopped after
    the test."""
    process = ClusterProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv)).start()
    yield process
    process.stop()


@pytest.fixture
def short_hold_hub(tmp_path, catalog_csv):
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv, hold_seconds=1)).start()
    yield process
    process.stop()


@pytest.fixture
def clients():
    """Collects clients so each test's connections close even when it fails."""
    opened = []

    def track(client):
        opened.append(client)
        return client
    yield track
    for client in opened:
        client.close()


@pytest.fixture
def phones(clients):
    """The same for visitors' phones (tests/phones.py), closed at the end of the test."""
    return clients


# Debian's chromium, started as the machine's root user needs it; Playwright never downloads a browser here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def playwright_session():
    """One Playwright for the session: a second sync_playwright() while one runs is refused, so a test that
    needs a browser of its own (another HOME, other flags) launches it from this one."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        # Never a skip: a page test that cannot run is a failure, in CI and here.
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    """One headless chromium for the session; each test gets its own context (fresh storage)."""
    launched = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def context(browser):
    opened = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR",
                                 timezone_id="Asia/Seoul")
    yield opened
    opened.close()
