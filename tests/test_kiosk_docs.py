"""The README shows the kiosk's screens, each a picture of the kiosk at its real size, 1080x1920."""
import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCREENS = ("attract", "browse", "product", "firms", "order", "demos", "ticket", "plan")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_readme_shows_each_kiosk_screen_at_1080_by_1920(screen):
    path = f"docs/screens/kiosk-{screen}.png"
    assert re.search(rf'<img src="{re.escape(path)}"', README), f"README does not show {path}"
    with Image.open(ROOT / path) as picture:
        assert picture.format == "PNG" and picture.size == (1080, 1920)


def test_the_script_that_takes_them_covers_every_screen_shown():
    script = (ROOT / "scripts" / "kiosk_screens.py").read_text(encoding="utf-8")
    assert re.search(r"SCREENS = \(([^)]*)\)", script).group(1).replace('"', "").replace(" ", "").split(",") \
        == list(SCREENS)
