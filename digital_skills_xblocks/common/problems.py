"""A problem found while checking content: what is wrong, where, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

# Severity names as printed; marked for extraction so a caller's translate() finds them.
SEVERITY_LABELS = {"error": "error", "warning": "warning"}
LINE_LABEL = "line {line}"


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

    def format(self, translate: Callable[[str], str] = str) -> str:
        """Return ``file:line: location: severity: message. fix`` with the empty parts left out.

        ``translate`` translates the severity name for a person reading it in another language.
        """
        where = self.file or ""
        if self.line:
            where = f"{where}:{self.line}" if where else translate(LINE_LABEL).format(line=self.line)
        parts = [part for part in (where, self.location) if part]
        text = self.message.rstrip(".") + "."
        if self.fix:
            text += " " + self.fix.rstrip(".") + "."
        severity = translate(SEVERITY_LABELS.get(self.severity, self.severity))
        prefix = ": ".join(parts)
        return f"{prefix}: {severity}: {text}" if prefix else f"{severity}: {text}"
