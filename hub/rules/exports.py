"""CSV files for spreadsheets: UTF-8 with a BOM, so Korean Excel opens them right,
and cells that a spreadsheet would run as a formula defused."""
import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    # A firm name or comment like "=HYPERLINK(...)" must stay text in the organisers' Excel.
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
