"""What every HTTP answer tells the browser it may not do with it.

Every screen is a device a stranger may hold, and the staff screen can revoke
devices and change stock: no other site may frame it (clickjacking), no script
may run that the hub did not serve as a file (CSP, no inline script), and no
answer may be read as another type than the one it says (nosniff).
"""
from urllib.parse import urlsplit


def policy(connect: str = "'self'") -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Hold codes and tickets are drawn as SVG the hub makes; the door scanner draws camera frames.
        "img-src 'self' data: blob:",
        f"connect-src {connect}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


CONTENT_SECURITY_POLICY = policy()

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    # Pairing codes and hold codes travel in URLs; they must not leak to anything a page links to.
    "Referrer-Policy": "no-referrer",
    # Only the door scanner uses the camera, and only from the hub's own pages.
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def protect(response):
    """Add the headers to one response (Flask's after_request)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def sibling_policy(scheme: str, hostname: str, ports) -> str:
    """The policy of a page of a hall run as several processes: its socket may also reach the hall's other
    ports on the same host (a screen moves on when its own process is gone, docs/scaling.md), nothing else."""
    socket_scheme = "wss" if scheme == "https" else "ws"
    others = " ".join(f"{kind}://{hostname}:{port}" for port in ports for kind in (scheme, socket_scheme))
    return policy(f"'self' {others}")


def sibling_origin(ports, origin, environ) -> bool:
    """Engine.IO's origin check for a hall of several processes: a page from one process may connect to another
    (a screen whose process went away moves on, sync's `processes`), on the same host and scheme, a hall
    port; any other origin is refused as with one process."""
    if not origin:
        return True  # not a browser: a device's token is what admits it, as with one process
    scheme, host = environ.get("wsgi.url_scheme", "http"), environ.get("HTTP_HOST", "")
    if origin == f"{scheme}://{host}":
        return True
    try:
        given, here = urlsplit(origin), urlsplit(f"{scheme}://{host}")
        return given.scheme == scheme and given.hostname == here.hostname and given.port in ports
    except ValueError:
        return False
