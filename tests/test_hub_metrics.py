"""/metrics on a real hub: what an operator watches, counted as screens really use the hall."""
from datetime import datetime, timedelta

import pytest
import requests as http
from prometheus_client.parser import text_string_to_metric_families

from tests.hubproc import free_port
from tests.test_hub_printing import network_hall, sale, wait_until


@pytest.fixture
def hall(tmp_path, catalog_csv):
    # counter-1 is a network printer nobody switched on: its receipts wait in its queue.
    process = network_hall(tmp_path, catalog_csv, free_port()).start()
    yield process
    process.stop()


def figures(hub) -> dict:
    answer = http.get(f"{hub.url}/metrics", timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def test_commands_and_refusals_are_counted_by_code_with_their_ack_times(hall, clients):
    pos = clients(hall.client("pos", "pos-1"))
    assert pos.call("checkout", sale())["ok"]
    assert pos.call("checkout", {**sale(), "lines": []})["error"]["code"] == "invalid"
    assert pos.call("checkout", sale(sku="NOPE"))["error"]["code"] == "unknown_product"
    found = figures(hall)
    assert value(found, "hall_commands_total", command="checkout", outcome="ok") == 1
    assert value(found, "hall_commands_total", command="checkout", outcome="invalid") == 1
    assert value(found, "hall_commands_total", command="checkout", outcome="unknown_product") == 1
    assert value(found, "hall_commands_total", command="login", outcome="ok") == 1
    assert value(found, "hall_ack_seconds_count", command="checkout") == 3
    assert 0 < value(found, "hall_ack_seconds_sum", command="checkout") < 30
    assert value(found, "hall_ack_seconds_bucket", command="checkout", le="+Inf") == 3


def test_connected_screens_are_counted_by_role_and_leave_the_count_when_they_go(hall, clients):
    clients(hall.client("pos", "pos-1"))
    kiosk = clients(hall.client("kiosk", "kiosk-1"))
    clients(hall.client("kiosk", "kiosk-2"))
    found = figures(hall)
    assert [value(found, "hall_screens_connected", role=role) for role in ("pos", "kiosk", "staff", "scanner")] == \
        [1, 2, 0, 0]
    kiosk.close()
    assert wait_until(lambda: value(figures(hall), "hall_screens_connected", role="kiosk") == 1)


def test_writer_batches_are_counted_with_their_size_and_commit_time(hall, clients):
    pos = clients(hall.client("pos", "pos-1"))
    before = figures(hall)
    for _ in range(3):
        assert pos.call("checkout", sale())["ok"]
    after = figures(hall)
    # Each sale is one batch here (one till, one command at a time); the login before them is in `before`.
    assert value(after, "hall_writer_batch_commands_count") - value(before, "hall_writer_batch_commands_count") >= 3
    assert value(after, "hall_writer_batch_commands_sum") - value(before, "hall_writer_batch_commands_sum") >= 3
    assert value(after, "hall_writer_commit_seconds_sum") > value(before, "hall_writer_commit_seconds_sum")


def test_the_print_queue_depth_is_per_printer(hall, clients):
    pos = clients(hall.client("pos", "pos-1"))
    for _ in range(2):
        assert pos.call("checkout", sale())["ok"]
    found = figures(hall)
    assert value(found, "hall_print_queue_depth", printer="counter-1") == 2  # switched off: both wait
    assert ("hall_print_queue_depth", (("printer", "kiosk-1"),)) in found
    assert value(found, "hall_print_queue_depth", printer="kiosk-1") == 0


def test_offline_replays_and_open_alerts_are_counted(hall, clients):
    pos = clients(hall.client("pos", "pos-1"))
    earlier = (datetime.now().astimezone() - timedelta(minutes=5)).isoformat()
    assert pos.call("checkout", {**sale(sku="LAST", qty=1, amount=99000), "offline_at": earlier})["ok"]
    # Past the stock it still books (an oversold discrepancy); a product the hub does not know is refused.
    assert pos.call("checkout", {**sale(sku="LAST", qty=9, amount=891000), "offline_at": earlier})["ok"]
    refused = pos.call("checkout", {**sale(sku="NOSUCH", qty=1, amount=1000), "offline_at": earlier})
    assert refused["error"]["code"] == "unknown_product"
    found = figures(hall)
    assert value(found, "hall_offline_replays_total", command="checkout", outcome="ok") == 2
    assert value(found, "hall_offline_replays_total", command="checkout", outcome="unknown_product") == 1
    assert value(found, "hall_offline_sales_refused_open") == 1
    assert value(found, "hall_alerts_open", kind="oversold") == 1

