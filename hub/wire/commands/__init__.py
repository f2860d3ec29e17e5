"""Every command handler, by area; importing this package registers them all."""
from . import calls, demos, sales, staff, tills, visitors  # noqa: F401
