"""A small filesystem of the test's own (tmpfs), to run a hub whose disk fills up."""
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.hubproc import HubProcess

CHUNK = 1 << 16


@contextmanager
def small_disk(path: Path, size_mb: int):
    """A tmpfs of `size_mb` mounted at `path` for the block; unmounted after it.

    Needs root, as the tests run here and in CI. Where it cannot be mounted the test fails in CI (CI=true),
    where nothing may quietly not run, and is skipped elsewhere with the reason.
    """
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0755", "tmpfs", str(path)],
                             capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        why = f"cannot mount a {size_mb} MB tmpfs at {path}: {mounted.stderr.strip() or mounted.returncode}"
        if os.environ.get("CI") == "true":
            pytest.fail(why + " (CI runs as root and must be able to)")
        pytest.skip(why + " (run as root)")
    try:
        yield path
    finally:
        # Lazy: a hub killed mid-test may still hold the file for a moment.
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


@contextmanager
def hub_on_small_disk(tmp_path: Path, config: Path, size_mb: int = 16):
    """A started hub whose data folder is on a small disk of its own (`hub.disk`); stopped after the block."""
    with small_disk(tmp_path / "small", size_mb) as disk:
        process = HubProcess(disk / "data", config)
        process.log_path = tmp_path / "hub.log"  # the log must not need the full disk
        process.disk = disk
        process.start()
        try:
            yield process
        finally:
            process.stop()


def free_bytes(path: Path) -> int:
    return os.statvfs(path).f_bavail * os.statvfs(path).f_frsize


def fill(path: Path, leave: int = 0, name: str = "filler") -> Path:
    """Take the filesystem's space in a file of its own until only `leave` bytes are free (0: full)."""
    filler = path / name
    with open(filler, "ab") as out:
        try:
            while True:
                room = free_bytes(path) - leave
                if room <= 0:
                    break
                out.write(b"\0" * min(CHUNK, room))
                out.flush()
        except OSError:  # ENOSPC: full, which is what was asked for when leave is 0
            pass
    return filler
