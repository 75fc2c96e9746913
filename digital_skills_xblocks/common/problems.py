"""A problem found while checking content: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One validation problem in a block's OLX or a course export.

    ``message`` and ``fix`` are English msgids already translated by the
    caller when a person will read them; ``location`` names the element (for
    example ``step[id=login]/field[name=otp]``); ``line`` is 1-based.
    ``severity`` is ``"error"`` (the content cannot be used) or ``"warning"``.
    """

    message: str
    fix: str = ""
    location: str = ""
    line: int | None = None
    file: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Return ``file:line: location: message. fix`` with the empty parts left out."""
        where = self.file or ""
        if self.line:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        parts = [part for part in (where, self.location) if part]
        text = self.message.rstrip(".") + "."
        if self.fix:
            text += " " + self.fix.rstrip(".") + "."
        prefix = ": ".join(parts)
        return f"{prefix}: {self.severity}: {text}" if prefix else f"{self.severity}: {text}"
