"""The hub's plain-HTTP port: the hall CA certificate, a page on how to trust it, and a redirect for the rest.

A device that does not trust the hall CA yet cannot open anything over HTTPS, so this is the one door it can
use first. It serves nothing of the hall: every other path is sent, method and all (308), to the same path
over HTTPS, on a name the hub's certificate covers.
"""
import json
from functools import cache
from html import escape
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

HERE = Path(__file__).resolve().parent / "trust"
PLATFORMS = ("android", "ipad", "windows", "chromeos")
HEADERS = [("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store"),
           ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")]


@cache
def words(lang: str) -> dict:
    return json.loads((HERE / f"{lang}.json").read_text(encoding="utf-8"))


def make_app(*, ca_cert: Path, https_port: int, names: list[str], addresses: list[str], fingerprint: str):
    """A WSGI app for the plain-HTTP port. `names` and `addresses` are those the server certificate covers."""
    pem = Path(ca_cert).read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    known = {*names, *addresses}

    def https_base(environ) -> str:
        host = environ.get("HTTP_HOST", "").rsplit(":", 1)[0].strip("[]").lower()
        # Only to a name the certificate covers: anything else would be an open redirect, or a warning page.
        host = host if host in known else names[0]
        return f"https://{host}" + ("" if https_port == 443 else f":{https_port}")

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path in ("/hall-ca.crt", "/hall-ca.pem"):
            # DER with the CA mime type is what Android, iOS and Windows offer to install; PEM for everything else.
            body, kind = (der, "application/x-x509-ca-cert") if path.endswith(".crt") else (pem, "application/x-pem-file")
            start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(body))),
                                      ("Content-Disposition", f'attachment; filename="{path[1:]}"'), *HEADERS])
            return [body]
        if path == "/" and environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD"):
            lang = _language(environ)
            body = page(lang, https_base(environ), fingerprint).encode("utf-8")
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(body))), ("Content-Language", lang), *HEADERS])
            return [body]
        target = https_base(environ) + path + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
        start_response("308 Permanent Redirect", [("Location", target), ("Content-Length", "0"), *HEADERS])
        return [b""]
    return app


def _language(environ) -> str:
    asked = environ.get("QUERY_STRING", "")
    if "lang=en" in asked:
        return "en"
    if "lang=ko" in asked:
        return "ko"
    accepted = environ.get("HTTP_ACCEPT_LANGUAGE", "ko").lower()
    return "en" if accepted.startswith("en") else "ko"


def page(lang: str, https_base: str, fingerprint: str) -> str:
    """The how-to page in one language: a drawing and the steps for each kind of device."""
    w = words(lang)
    other = "en" if lang == "ko" else "ko"
    sections = "".join(
        f'<section><h2>{escape(w["platforms"][p]["name"])}</h2>{drawing(w["platforms"][p]["steps"], p)}'
        f'<ol>{"".join(f"<li>{escape(step)}</li>" for step in w["platforms"][p]["steps"])}</ol></section>'
        for p in PLATFORMS)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(w["title"])}</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5}}
a.button{{display:inline-block;padding:.8rem 1.2rem;background:#0b5;color:#fff;border-radius:.5rem;text-decoration:none;font-size:1.2rem}}
code{{word-break:break-all}}section{{border-top:1px solid #ccc;margin-top:1rem}}svg{{max-width:100%;height:auto}}</style>
</head><body>
<p><a href="/?lang={other}" lang="{other}">{escape(w["other_language"])}</a></p>
<h1>{escape(w["title"])}</h1>
<p>{escape(w["intro"])}</p>
<p><a class="button" id="download" href="/hall-ca.crt">{escape(w["download"])}</a></p>
<p>{escape(w["fingerprint"])}<br><code id="fingerprint">{escape(fingerprint)}</code></p>
<p>{escape(w["open"])} <a id="hall" href="{escape(https_base)}/pos">{escape(https_base)}</a></p>
{sections}
</body></html>"""


def drawing(steps: list[str], platform: str) -> str:
    """A device's screen with the steps as the settings it shows, one tap after another (inline SVG)."""
    wide = platform in ("windows", "chromeos")
    width, step_h = (560, 56) if wide else (300, 64)
    height = 40 + step_h * len(steps) + 24
    rows = []
    for n, step in enumerate(steps):
        y = 40 + n * step_h
        rows.append(f'<rect x="20" y="{y}" width="{width - 40}" height="{step_h - 12}" rx="8" fill="#eef6ff" '
                    f'stroke="#2a6fdb"/><circle cx="42" cy="{y + (step_h - 12) / 2}" r="12" fill="#2a6fdb"/>'
                    f'<text x="42" y="{y + (step_h - 12) / 2 + 5}" fill="#fff" font-size="14" text-anchor="middle">'
                    f'{n + 1}</text><text x="62" y="{y + (step_h - 12) / 2 + 5}" font-size="12">'
                    f'{escape(_short(step, 70 if wide else 34))}</text>')
    frame = (f'<rect x="4" y="4" width="{width - 8}" height="{height - 8}" rx="{10 if wide else 24}" fill="#fff" '
             f'stroke="#333" stroke-width="4"/>')
    return (f'<svg role="img" aria-label="{escape(" → ".join(steps))}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">{frame}{"".join(rows)}</svg>')


def _short(step: str, most: int) -> str:
    return step if len(step) <= most else step[: most - 1] + "…"
