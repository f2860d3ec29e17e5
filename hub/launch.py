"""`run_hall.py launch kiosk|pos|scan`: Debian's chromium as the screen of a Linux kiosk or till.

Kiosk mode (full screen, no address bar, no way out but the keyboard's), the screen's own profile (its
device token, its outbox and its service worker live there, apart from any other use of the machine), and
no first-run questions or restore-session bubbles after a power cut. Nothing else is needed once the hall CA
is trusted on the machine (docs/network.md): the hub's HTTPS address is a secure origin like any other.
"""
import os
from pathlib import Path

SCREENS = ("kiosk", "pos", "scan")
BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FLAGS = ["--kiosk", "--no-first-run", "--noerrdialogs", "--disable-session-crashed-bubble",
         "--disable-infobars", "--disable-translate", "--overscroll-history-navigation=0",
         "--disable-pinch", "--autoplay-policy=no-user-gesture-required"]


def browser() -> str | None:
    """The first chromium found on the machine."""
    return next((path for path in BROWSERS if Path(path).exists()), None)


def profile_dir(screen: str) -> Path:
    """The screen's own profile, kept across restarts: losing it would lose the device's token and outbox."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "expo-sales-hall" / f"chromium-{screen}"


def command(screen: str, hub_url: str, *, executable: str, profile: Path, extra: list[str] = ()) -> list[str]:
    """The command line that opens `screen` of the hub at `hub_url`."""
    if screen not in SCREENS:
        raise ValueError(f"screen must be one of {', '.join(SCREENS)}, not {screen!r}")
    flags = [*FLAGS, f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # chromium refuses to start as root otherwise; a kiosk user should not be root
    return [executable, *flags, *extra, f"{hub_url.rstrip('/')}/{screen}/"]
