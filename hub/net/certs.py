"""The hall's own certificate authority and the hub's server certificate, kept under <data>/tls/.

Browsers give service workers (the till's and the door's offline mode) and crypto.randomUUID only to secure
origins. A hall has no public name, so it is its own authority: each device trusts the hall CA once, and the
hub makes itself a server certificate for every name and address the screens may use. The CA lives ten years
and is never remade while its files are there, so devices trust it once; the server certificate lives a year
and is remade at start whenever it nears its end or no longer covers the hub's names (docs/network.md).
"""
import ipaddress
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
SERVER_DAYS = 365
# Remade this long before it ends, so a hall never opens on a certificate that expires during the show.
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class TlsFiles:
    ca_cert: Path
    cert: Path
    key: Path
    # True when the hall's operator put their own certificate in place of the hub's (docs/network.md).
    own: bool = False


def files_in(folder: Path) -> TlsFiles:
    return TlsFiles(ca_cert=folder / "hall-ca.pem", cert=folder / "server.pem", key=folder / "server-key.pem")


def ensure(folder: Path | str, names: list[str], addresses: list[str], *, now: datetime | None = None) -> TlsFiles:
    """The hall CA and a server certificate valid for `names` and `addresses`, made or remade as needed.

    A certificate the operator placed as own-cert.pem and own-key.pem is used as it is, never touched."""
    folder = Path(folder)
    now = now or datetime.now(timezone.utc)
    own = TlsFiles(ca_cert=folder / "hall-ca.pem", cert=folder / "own-cert.pem", key=folder / "own-key.pem", own=True)
    if own.cert.exists() and own.key.exists():
        return own
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    files = files_in(folder)
    ca_key_path = folder / "hall-ca-key.pem"
    if not (files.ca_cert.exists() and ca_key_path.exists()):
        ca_key = ec.generate_private_key(ec.SECP256R1())
        _write_key(ca_key_path, ca_key)
        files.ca_cert.write_bytes(_authority(ca_key, now).public_bytes(serialization.Encoding.PEM))
        files.cert.unlink(missing_ok=True)
    ca_key = serialization.load_pem_private_key(ca_key_path.read_bytes(), password=None)
    ca_cert = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    if not _still_good(files, ca_cert, names, addresses, now):
        key = ec.generate_private_key(ec.SECP256R1())
        _write_key(files.key, key)
        cert = _server(key, ca_key, ca_cert, names, addresses, now)
        files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM)
                               + ca_cert.public_bytes(serialization.Encoding.PEM))
    return files


def fingerprint(cert_path: Path) -> str:
    """The SHA-256 fingerprint a person compares on the device before trusting the CA."""
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def covered(cert_path: Path) -> tuple[set[str], set[str]]:
    """The DNS names and IP addresses a certificate is valid for."""
    cert = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
    alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return set(alt.get_values_for_type(x509.DNSName)), {str(a) for a in alt.get_values_for_type(x509.IPAddress)}


def _write_key(path: Path, key) -> None:
    # Created 0600 from the start, so the key is never readable by others, not even for a moment.
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _still_good(files: TlsFiles, ca_cert, names, addresses, now) -> bool:
    if not (files.cert.exists() and files.key.exists()):
        return False
    cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
    if cert.issuer != ca_cert.subject or cert.not_valid_after_utc - RENEW_BEFORE < now:
        return False
    dns, ips = covered(files.cert)
    return set(names) <= dns and {str(ipaddress.ip_address(a)) for a in addresses} <= ips


def _authority(key, now):
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Expo Sales Hall"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"Expo Sales Hall CA {now:%Y-%m-%d}")])
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=CA_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))


def _server(key, ca_key, ca_cert, names, addresses, now):
    alt = [x509.DNSName(n) for n in names] + [x509.IPAddress(ipaddress.ip_address(a)) for a in addresses]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0] if names else addresses[0])])
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            # Browsers refuse server certificates that live longer than 398 days.
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
