"""The fake network printer lives in rehearsal/, which the tests and the rehearsal both import."""
from rehearsal.fake_printer import DLE_EOT, STATUS_BYTES, FakePrinter  # noqa: F401
