"""Each screen's service worker keeps every file its page loads, and keeps out of the others' caches."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENS = {"pos": ROOT / "pos", "kiosk": ROOT / "kiosk", "scan": ROOT / "scan", "visit": ROOT / "visit"}


def worker(screen: str) -> str:
    return (SCREENS[screen] / "sw.js").read_text(encoding="utf-8")


def common_files_imported_by(folder: Path) -> set[str]:
    """Every /common/ and /vendor/ module the screen's scripts import, and what those import in turn."""
    pending = [path.read_text(encoding="utf-8") for path in folder.rglob("*.js") if path.name != "sw.js"]
    found: set[str] = set()
    while pending:
        source = pending.pop()
        # A library module (es-hangul) is served from web/node_modules at /vendor/: kept, not read further.
        found.update(re.findall(r'from "(/vendor/[^"]+)"', source))
        for name in re.findall(r'from "(/common/[^"]+)"', source):
            if name not in found:
                found.add(name)
                pending.append((ROOT / name.lstrip("/")).read_text(encoding="utf-8"))
    return found


def setting(screen: str, name: str) -> str:
    return re.search(rf'self\.{name} = "([^"]+)"', worker(screen)).group(1)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_service_worker_keeps_every_file_the_page_loads(screen):
    folder = SCREENS[screen]
    shell = worker(screen).split("self.SHELL = [")[1].split("];")[0]
    kept = set(re.findall(r'"(/[^"]*)"', shell))
    files = {f"/{screen}/{path.relative_to(folder).as_posix()}" for path in folder.rglob("*")
             if path.is_file() and path.suffix in (".js", ".css", ".json") and path.name != "sw.js"}
    assert files <= kept, f"not kept offline: {sorted(files - kept)}"
    shared = common_files_imported_by(folder)
    assert "/common/hall.js" in shared  # the pattern still finds the screens' shared imports
    assert shared <= kept, f"shared files not kept offline: {sorted(shared - kept)}"
    assert {f"/{screen}/", "/vendor/socket.io.min.js"} <= kept
    assert setting(screen, "SHELL_PAGE") == f"/{screen}/"
    assert 'importScripts("/common/shell-worker.js");' in worker(screen)


def test_no_screen_can_mistake_another_screens_cache_for_an_old_copy_of_its_own():
    # The caches belong to the origin, not to a worker: each deletes only its own family's older versions.
    families = [re.sub(r"v\d+$", "", setting(screen, "SHELL_CACHE")) for screen in SCREENS]
    assert all(re.search(r"v\d+$", setting(screen, "SHELL_CACHE")) for screen in SCREENS)
    for family in families:
        assert [other.startswith(family) for other in families].count(True) == 1, family
