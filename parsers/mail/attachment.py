"""An attachment as the parsers decode it from a message: name, type and bytes, in memory only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """An attachment as decoded from the message (bytes in memory only)."""

    filename: str
    content_type: str
    data: bytes
    inner: bool = False  # came out of a forwarded message or a zip

    @property
    def sha256(self) -> str:
        """Hex digest of the bytes, kept in the ledger for audits."""
        return hashlib.sha256(self.data).hexdigest()
