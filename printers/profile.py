"""What a printer can do: paper columns, how it prints Korean and QR codes, how it cuts."""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal, Mapping

PROFILE_KEYS = ("columns", "korean", "native_qr", "model", "cut")


@dataclass(frozen=True)
class PrinterProfile:
    """Rendering options of one printer; `model` names a python-escpos capability profile."""

    columns: int = 48
    korean: Literal["native", "raster"] = "native"
    native_qr: bool = True
    model: str = "default"
    cut: Literal["full", "partial"] = "full"

    def __post_init__(self):
        if self.korean not in ("native", "raster"):
            raise ValueError(f"korean must be 'native' or 'raster', not {self.korean!r}")
        if self.cut not in ("full", "partial"):
            raise ValueError(f"cut must be 'full' or 'partial', not {self.cut!r}")
        if not isinstance(self.columns, int) or not 16 <= self.columns <= 96:
            raise ValueError(f"columns must be 16..96, not {self.columns!r}")
        if not isinstance(self.native_qr, bool):
            raise ValueError(f"native_qr must be true or false, not {self.native_qr!r}")

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "PrinterProfile":
        """The profile keys of a printer's config (transport keys are left to make_transport)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in config.items() if k in known})
