"""The house plan, kept by a test: each folder of the hub imports only the layers beneath it.

    hub/__init__.py, hub/hall.py, hub/print_worker.py, hub/config.py,
    hub/config_check.py, hub/health.py                                   tie the layers together
    hub/wire/     Socket.IO and HTTP handlers, payload parsing, fan-out  -> rules, errors, events, printers
    hub/scale/    several processes: the relay of writes, the queue      -> errors (rules only by pickle's name)
    hub/rules/    the hall's rules: store + time in, result + events out -> errors, events, printers
    hub/store/    SQLite, migrations, the event log, the writer         -> errors, events
    hub/errors.py, hub/events.py   the words every layer shares        -> nothing of the hub
    printers/     layouts, ESC/POS, transports, the spool               -> nothing of the hub

docs/architecture.md draws the same plan.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WEB = ("flask", "flask_socketio", "socketio", "engineio", "geventwebsocket", "werkzeug")
OURS = ("hub", "printers")

# For each layer: which of our packages it may import, and which outside packages it must not.
LAYERS = {
    "hub.errors": {"may": (), "never": WEB + ("gevent",)},
    "hub.events": {"may": (), "never": WEB + ("gevent",)},
    "hub.store": {"may": ("hub.store", "hub.errors", "hub.events"), "never": WEB},
    "hub.rules": {"may": ("hub.rules", "hub.errors", "hub.events", "printers"), "never": WEB + ("gevent",)},
    "hub.wire": {"may": ("hub.wire", "hub.rules", "hub.errors", "hub.events", "printers"), "never": ()},
    # Mechanics between processes: the rules cross the relay by name, never by import.
    "hub.scale": {"may": ("hub.scale", "hub.errors"), "never": ()},
    "printers": {"may": ("printers",), "never": WEB + ("gevent",)},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(dotted: str) -> bool:
    return (ROOT.joinpath(*dotted.split(".")) / "__init__.py").exists()


def imported_names(source: str, module: str, is_init: bool) -> set[str]:
    """Every module `source` imports, with relative imports made absolute."""
    package = module if is_init else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            # `from hub.rules import catalog` imports hub.rules.catalog; `from hub.errors import X` imports hub.errors.
            if is_package(target):
                names |= {f"{target}.{alias.name}" for alias in node.names}
            else:
                names.add(target)
    return names


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    return next((layer for layer in LAYERS if within(module, layer)), None)


def breaches(module: str, names: set[str]) -> list[str]:
    rules = LAYERS[layer_of(module)]
    found = []
    for name in sorted(names):
        if any(within(name, ours) for ours in OURS):
            if not any(within(name, allowed) for allowed in rules["may"]):
                found.append(f"{module} imports {name}")
        elif any(within(name, banned) for banned in rules["never"]):
            found.append(f"{module} imports {name}")
    return found


def layered_sources():
    for path in sorted([*(ROOT / "hub").rglob("*.py"), *(ROOT / "printers").rglob("*.py")]):
        module = module_name(path)
        if layer_of(module):
            yield path, module


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_every_layer_has_modules(layer):
    assert any(layer_of(module) == layer for _, module in layered_sources())


@pytest.mark.parametrize("path,module", list(layered_sources()), ids=lambda value: str(value))
def test_each_module_imports_only_the_layers_beneath_it(path, module):
    names = imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
    assert breaches(module, names) == []


@pytest.mark.parametrize("module,source,expected", [
    ("hub.rules.catalog", "from flask import request", "hub.rules.catalog imports flask"),
    ("hub.rules.catalog", "from ..wire import payloads", "hub.rules.catalog imports hub.wire.payloads"),
    ("hub.rules.catalog", "from ..wire.payloads import text", "hub.rules.catalog imports hub.wire.payloads"),
    ("hub.rules.catalog", "import socketio", "hub.rules.catalog imports socketio"),
    ("hub.store.database", "from ..rules import alerts", "hub.store.database imports hub.rules.alerts"),
    ("hub.store.database", "from hub.hall import Hall", "hub.store.database imports hub.hall"),
    ("printers.spool", "from hub.errors import HallError", "printers.spool imports hub.errors"),
    ("printers.spool", "import hub", "printers.spool imports hub"),
    ("hub.wire.http", "from ..store import Store", "hub.wire.http imports hub.store.Store"),
    ("hub.errors", "from .events import Event", "hub.errors imports hub.events"),
])
def test_the_check_catches_a_module_reaching_up_or_sideways(module, source, expected):
    assert breaches(module, imported_names(source, module, is_init=False)) == [expected]


def test_the_check_lets_a_rule_use_its_neighbours_and_the_shared_words():
    source = "from . import idempotency\nfrom ..errors import HallError\nfrom ..events import Event\n" \
             "from printers import spool\nimport json"
    assert breaches("hub.rules.inventory", imported_names(source, "hub.rules.inventory", is_init=False)) == []
