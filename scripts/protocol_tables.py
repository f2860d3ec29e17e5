"""python scripts/protocol_tables.py [--check]: write docs/protocol.md's payload tables from the schemas in
hub/wire/payloads.py (or, with --check, exit 1 naming each table that differs).

Each command with a schema has a table in its section, between `<!-- payload:NAME -->` and
`<!-- /payload -->`; the text around the tables is written by hand. tests/test_protocol_tables.py fails when
a table and its schema differ.
"""
import json
import re
import sys
from pathlib import Path

import msgspec.inspect as mi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.wire.payloads import SCHEMAS  # noqa: E402

PROTOCOL = ROOT / "docs" / "protocol.md"
BLOCK = re.compile(r"<!-- payload:([a-z_]+) -->\n.*?<!-- /payload -->", re.DOTALL)
HEAD = "| field | type | required | allowed |\n|---|---|---|---|"


def _kind(t) -> tuple[str, str]:
    """A type's name and its limits, in the protocol's words."""
    if isinstance(t, mi.IntType):
        return "integer", f"{t.ge:,}–{t.le:,}" if t.ge is not None and t.le is not None else ""
    if isinstance(t, mi.StrType):
        return "text", f"≤ {t.max_length} characters" if t.max_length else ""
    if isinstance(t, mi.UUIDType):
        return "UUID", ""
    if isinstance(t, mi.DateType):
        return "date", "`YYYY-MM-DD`"
    if isinstance(t, mi.DateTimeType):
        return "ISO 8601 time", "with its UTC offset" if t.tz else ""
    if isinstance(t, mi.LiteralType):
        return "one of", ", ".join(f"`{v}`" for v in sorted(t.values))
    if isinstance(t, mi.BoolType):
        return "boolean", ""
    raise TypeError(f"no words for {t!r}: add them to scripts/protocol_tables.py")


def _rows(fields, prefix: str = "", when: str = "") -> list[tuple]:
    rows = []
    for field in fields:
        name, t, required = prefix + field.name, field.type, field.required
        if isinstance(t, mi.UnionType) and any(isinstance(u, mi.NoneType) for u in t.types):
            t = next(u for u in t.types if not isinstance(u, mi.NoneType))
            required = False
        need = ("yes" if required else "no") + (f" ({when})" if when else "")
        if not required and field.default not in (None, mi.NODEFAULT):
            need += f", default {json.dumps(field.default)}"
        if isinstance(t, mi.ListType):
            count = f"{t.min_length or 0}–{t.max_length} items" if t.max_length else ""
            rows.append((name, "list", need, count))
            rows += _items(t.item_type, f"{name}[].", when)
        elif isinstance(t, mi.StructType):
            rows.append((name, "object", need, ""))
            rows += _rows(t.fields, f"{name}.", when)
        else:
            rows.append((name, *(_with(need, _kind(t)))))
    return rows


def _with(need: str, kind: tuple[str, str]) -> tuple[str, str, str]:
    return kind[0], need, kind[1]


def _items(t, prefix: str, when: str) -> list[tuple]:
    if isinstance(t, mi.StructType):
        return _rows(t.fields, prefix, when)
    if isinstance(t, mi.UnionType):  # tagged: each kind of item with its own fields
        tags = [u for u in t.types if isinstance(u, mi.StructType)]
        field = tags[0].tag_field
        rows = [(prefix + field, "one of", "yes", ", ".join(f"`{u.tag}`" for u in tags))]
        # A field every kind has alike is one row; the others say for which kind they are.
        shared = set.intersection(*(set(_rows(u.fields, prefix)) for u in tags))
        rows += [row for row in _rows(tags[0].fields, prefix) if row in shared]
        for u in tags:
            rows += [row for row, plain in zip(_rows(u.fields, prefix, f"{field} `{u.tag}`"), _rows(u.fields, prefix))
                     if plain not in shared]
        return rows
    return []


def table(schema) -> str:
    """The payload table of one schema, as Markdown."""
    lines = [HEAD] + [f"| `{name}` | {kind} | {need} | {allowed} |"
                      for name, kind, need, allowed in _rows(mi.type_info(schema).fields)]
    return "\n".join(lines)


def block(command: str) -> str:
    return f"<!-- payload:{command} -->\n{table(SCHEMAS[command])}\n<!-- /payload -->"


def rewrite(text: str) -> str:
    """The protocol with every payload table made again from its schema."""
    return BLOCK.sub(lambda match: block(match.group(1)), text)


def differences(text: str) -> list[str]:
    """What is wrong with the protocol's tables: missing, stale, or for a command without a schema."""
    found = {match.group(1): match.group(0) for match in BLOCK.finditer(text)}
    wrong = [f"{name}: no payload table in its section" for name in SCHEMAS if name not in found]
    wrong += [f"{name}: a payload table but no schema in hub/wire/payloads.py" for name in found if name not in SCHEMAS]
    wrong += [f"{name}: the table differs from its schema" for name, written in found.items()
              if name in SCHEMAS and written != block(name)]
    return wrong


def main(argv: list[str]) -> int:
    text = PROTOCOL.read_text(encoding="utf-8")
    if "--check" in argv:
        wrong = differences(text)
        print("\n".join(wrong) or "docs/protocol.md's payload tables match the schemas")
        return 1 if wrong else 0
    PROTOCOL.write_text(rewrite(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
