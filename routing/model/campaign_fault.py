"""A mistake found in a campaign file, and the nearest known name to suggest in its place."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    """One mistake in the file: where (a path of keys and 0-based positions) and what, in Chinese."""

    path: tuple
    message: str

    @property
    def where(self) -> str:
        """The path as a person reads it: returns[3].rules[2].column (positions counted from 1)."""
        text = ""
        for part in self.path:
            text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text or "（顶层）"

    def text(self) -> str:
        """``where：message``."""
        return f"{self.where}：{self.message}"


def suggest(name: str, known) -> str:
    """ "，是否应为“x”？" for the closest known name, else ""."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.5)
    return f"，是否应为“{close[0]}”？" if close else ""
