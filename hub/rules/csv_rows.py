"""CSV files people made in a spreadsheet (the firms' catalog, the demo program): untrusted, read whole.

Every row is checked, every problem is kept with its line number, and a file with any problem imports
nothing: the caller reads the rows, names what is wrong with each, then calls `refuse_if_any`.
"""
import csv
import io

from ..errors import HallError

MAX_LISTED = 20


class CsvRows:
    """The rows of one CSV text that must have `columns`, and the problems found in them by line."""

    def __init__(self, text: str, columns: tuple[str, ...], *, code: str, what: str):
        self.code = code
        self.what = what
        self.columns = columns
        self.errors: list[dict] = []
        # Excel saves UTF-8 with a byte-order mark; it is not part of the first column's name.
        self._reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        missing = [c for c in columns if c not in (self._reader.fieldnames or [])]
        if missing:
            problem = f"missing columns: {', '.join(missing)}"
            raise HallError(code, f"line 1: {problem}", errors=[{"line": 1, "problem": problem}])

    def __iter__(self):
        """(line, row) for each row with as many fields as the header; any other row is a problem of its own."""
        for row in self._reader:
            line = self._reader.line_num
            if None in row:
                self.problem(line, "wrong number of fields: more fields than the header has")
            elif any(value is None for value in row.values()):
                short = [column for column in self.columns if row.get(column) is None]
                self.problem(line, f"wrong number of fields: missing column {', '.join(short)}")
            else:
                yield line, row

    def problem(self, line: int, problem: str) -> None:
        self.errors.append({"line": line, "problem": problem})

    def refuse_if_any(self) -> None:
        """Raise one refusal listing the first problems by line, with all of them in its details."""
        if not self.errors:
            return
        listed = "; ".join(f"line {e['line']}: {e['problem']}" for e in self.errors[:MAX_LISTED])
        more = f" (and {len(self.errors) - MAX_LISTED} more)" if len(self.errors) > MAX_LISTED else ""
        raise HallError(self.code, f"{self.what} not imported: {listed}{more}", errors=self.errors)
