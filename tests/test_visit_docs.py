"""The README shows a picture of each of the phone's screens at a phone's size, 390x844, and the script that
takes them (scripts/visit_screens.py) covers every one."""
import re
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SCREENS = ("search", "product", "cart", "order", "paid", "demos", "ticket", "plan", "mine")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_readme_shows_each_phone_screen_at_390_by_844(screen):
    assert f'<img src="docs/screens/visit-{screen}.png"' in README
    with Image.open(ROOT / "docs" / "screens" / f"visit-{screen}.png") as picture:
        assert picture.format == "PNG" and picture.size == (390, 844)


def test_the_script_that_takes_them_covers_every_screen():
    script = (ROOT / "scripts" / "visit_screens.py").read_text(encoding="utf-8")
    assert re.search(r"SCREENS = \(([^)]*)\)", script).group(1).replace('"', "").replace(" ", "").split(",") \
        == list(SCREENS)
    assert {f"visit-{name}.png" for name in SCREENS} == {p.name for p in (ROOT / "docs" / "screens").glob("visit-*")}
