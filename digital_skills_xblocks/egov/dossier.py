"""Fictional dossier codes, the same for a learner, a block and an attempt.

The code looks like a portal receipt number but always contains the block
``000`` (the province code no real province uses), so it cannot be mistaken
for a real dossier: ``KS-000-482193-0457``.
"""

from __future__ import annotations

import hashlib


def dossier_code(learner_id: str, usage_id: str, attempt: int, prefix: str = "HS") -> str:
    """Return the dossier code of ``learner_id``'s ``attempt`` on the block ``usage_id``."""
    digest = hashlib.sha256(f"{learner_id}\n{usage_id}\n{attempt}".encode("utf-8")).digest()
    number = int.from_bytes(digest[:8], "big")
    serial = number % 1_000_000
    check = (number // 1_000_000) % 10_000
    return f"{prefix}-000-{serial:06d}-{check:04d}"
