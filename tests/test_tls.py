"""HTTPS on the hall network: the hall CA and server certificate under <data>/tls, and the plain-HTTP door."""
import re
import stat
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from cryptography import x509

from hub import config
from hub.net import certs
from tests.conftest import hall_config
from tests.hubproc import HubProcess

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
NAMES, ADDRESSES = ["hall.test", "vm.local"], ["127.0.0.1", "192.0.2.2"]


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_start_makes_a_ca_and_a_server_certificate_it_signed_for_every_name(tmp_path):
    files = certs.ensure(tmp_path / "tls", NAMES, ADDRESSES, now=NOW)
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    server = x509.load_pem_x509_certificate(files.cert.read_bytes())
    server.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert certs.covered(files.cert) == (set(NAMES), set(ADDRESSES))
    assert server.not_valid_after_utc - NOW <= timedelta(days=398)  # what browsers accept


def test_the_keys_are_readable_by_the_hub_alone(tmp_path):
    files = certs.ensure(tmp_path / "tls", NAMES, ADDRESSES, now=NOW)
    assert mode(files.key) == 0o600
    assert mode(tmp_path / "tls" / "hall-ca-key.pem") == 0o600
    assert mode(tmp_path / "tls") == 0o700


def test_a_restart_keeps_both_certificates(tmp_path):
    first = certs.ensure(tmp_path / "tls", NAMES, ADDRESSES, now=NOW)
    before = first.ca_cert.read_bytes(), first.cert.read_bytes()
    again = certs.ensure(tmp_path / "tls", NAMES, ADDRESSES, now=NOW + timedelta(days=10))
    assert (again.ca_cert.read_bytes(), again.cert.read_bytes()) == before


@pytest.mark.parametrize("names,addresses,later", [
    (NAMES + ["new-name.local"], ADDRESSES, 0),  # the hub got a new name
    (NAMES, ADDRESSES + ["10.1.2.3"], 0),  # or a new address on the hall's network
    (NAMES, ADDRESSES, 340),  # or the server certificate nears its end
])
def test_the_server_certificate_is_remade_but_the_ca_devices_trust_stays(tmp_path, names, addresses, later):
    first = certs.ensure(tmp_path / "tls", NAMES, ADDRESSES, now=NOW)
    ca, cert = first.ca_cert.read_bytes(), first.cert.read_bytes()
    again = certs.ensure(tmp_path / "tls", names, addresses, now=NOW + timedelta(days=later))
    assert again.ca_cert.read_bytes() == ca
    assert again.cert.read_bytes() != cert
    assert certs.covered(again.cert) == (set(names), set(addresses))
    x509.load_pem_x509_certificate(again.cert.read_bytes()).verify_directly_issued_by(
        x509.load_pem_x509_certificate(ca))


def test_the_halls_own_certificate_is_used_as_it_is(tmp_path):
    folder = tmp_path / "tls"
    folder.mkdir()
    (folder / "own-cert.pem").write_text("the hall's own chain")
    (folder / "own-key.pem").write_text("its key")
    files = certs.ensure(folder, NAMES, ADDRESSES, now=NOW)
    assert (files.cert.name, files.key.name, files.own) == ("own-cert.pem", "own-key.pem", True)
    assert not (folder / "server.pem").exists()


@pytest.mark.parametrize("toml,line", [
    ("[server]\nport = 0\n", "[server] port: must be a whole number from 1 to 65535, not 0"),
    ("[server]\nlan = 1\n", "[server] lan: must be true or false, not 1"),
    ('[server]\nnames = "hall.local"\n', '[server] names: must be a list of names in quotes, such as '
                                         '["hall.local"], not "hall.local"'),
    ("[server]\nhttp_prot = 80\n", "[server] http_prot: unknown setting (did you mean http_port?)"),
])
def test_server_settings_are_checked(tmp_path, catalog_csv, toml, line):
    with pytest.raises(config.ConfigError) as wrong:
        config.load(hall_config(tmp_path, catalog_csv, extra=toml), tmp_path / "data")
    assert [re.sub(r"^.*?: ", "", shown, count=1) for shown in wrong.value.lines] == [line]


@pytest.fixture
def lan_hub(tmp_path, catalog_csv):
    process = HubProcess(tmp_path / "data", hall_config(tmp_path, catalog_csv), lan_name="hall.test").start()
    yield process
    process.stop()


def test_the_hub_answers_over_https_that_the_hall_ca_vouches_for(lan_hub):
    answer = requests.get(f"https://localhost:{lan_hub.port}/api/health", verify=str(lan_hub.ca_cert), timeout=5)
    assert answer.status_code == 200
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://localhost:{lan_hub.port}/api/health", timeout=5)  # not by the public roots


def test_a_till_sells_over_wss(lan_hub, clients):
    till = clients(lan_hub.client("pos", "pos-1"))
    answer = till.call("checkout", {"sale_id": str(uuid.uuid4()), "lines": [{"sku": "PEN", "qty": 1}],
                                    "payments": [{"method": "cash", "amount": 1100}]})
    assert answer["ok"], answer
    assert till.sio.transport() == "websocket"


def test_the_plain_port_hands_out_the_ca_it_serves_with(lan_hub):
    plain = f"http://127.0.0.1:{lan_hub.http_port}"
    der = requests.get(plain + "/hall-ca.crt", timeout=5)
    pem = requests.get(plain + "/hall-ca.pem", timeout=5)
    assert der.headers["Content-Type"] == "application/x-x509-ca-cert"
    assert x509.load_der_x509_certificate(der.content) == x509.load_pem_x509_certificate(
        lan_hub.ca_cert.read_bytes()) == x509.load_pem_x509_certificate(pem.content)


@pytest.mark.parametrize("host,path,target", [
    ("hall.test", "/pos/?x=1", "https://hall.test:{port}/pos/?x=1"),
    ("127.0.0.1", "/api/health", "https://127.0.0.1:{port}/api/health"),
    # A name the certificate does not cover would be a warning page, or an open redirect: the hub's own name.
    ("evil.example", "/pos/", "https://hall.test:{port}/pos/"),
])
def test_everything_else_on_the_plain_port_goes_to_https(lan_hub, host, path, target):
    answer = requests.post(f"http://127.0.0.1:{lan_hub.http_port}{path}", headers={"Host": f"{host}:80"},
                           allow_redirects=False, timeout=5)
    assert answer.status_code == 308
    assert answer.headers["Location"] == target.format(port=lan_hub.port)
    assert answer.content == b""


@pytest.mark.parametrize("lang,other", [("ko", "en"), ("en", "ko")])
def test_the_trust_page_tells_each_kind_of_device_in_one_language(lan_hub, lang, other):
    from hub.net.trust_page import PLATFORMS, words
    page = requests.get(f"http://127.0.0.1:{lan_hub.http_port}/?lang={lang}", timeout=5).text
    told = words(lang)
    assert f'<html lang="{lang}">' in page
    assert certs.fingerprint(lan_hub.ca_cert) in page
    for platform in PLATFORMS:
        assert told["platforms"][platform]["name"] in page
    assert page.count("<svg") == len(PLATFORMS)  # a drawing for each
    # Nothing of the other language, but the link that switches to it.
    for platform in PLATFORMS:
        assert words(other)["platforms"][platform]["steps"][1] not in page
    if lang == "ko":
        shown = re.sub(r"<[^>]+>|&[a-z#0-9]+;", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S))
        assert set(re.findall(r"[A-Za-z]{4,}", shown)) <= {"English", "Android", "iPad", "iPhone", "Windows",
                                                           "ChromeOS", "Safari", "HTTPS", "hall", "test", "https"}


def test_plain_run_hall_stays_on_loopback_http(hub):
    assert hub.url.startswith("http://127.0.0.1:")
    assert requests.get(hub.url + "/api/health", timeout=5).ok
    assert not (hub.data_dir / "tls").exists()


def test_the_halls_own_certificate_needs_the_ca_that_signed_it_beside_it(tmp_path, catalog_csv):
    import subprocess
    import sys

    from tests.hubproc import ROOT, free_port
    folder = tmp_path / "data" / "tls"
    folder.mkdir(parents=True)
    (folder / "own-cert.pem").write_text("the venue's chain")
    (folder / "own-key.pem").write_text("its key")
    done = subprocess.run([sys.executable, str(ROOT / "run_hall.py"), "--lan", "--host", "127.0.0.1",
                           "--port", str(free_port()), "--http-port", str(free_port()), "--data",
                           str(tmp_path / "data"), "--config", str(hall_config(tmp_path, catalog_csv))],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert f"put the certificate of the authority that signed it as {folder / 'hall-ca.pem'}" in done.stderr
