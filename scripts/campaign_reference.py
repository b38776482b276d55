"""Write docs/campaign-format.md from the campaign schema: `python scripts/campaign_reference.py` from a checkout."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from routing.model.campaign_reference import OUTPUT, render  # noqa: E402

if __name__ == "__main__":
    (ROOT / OUTPUT).write_text(render(), encoding="utf-8")
    print(f"已生成 {OUTPUT}")
