"""Campaign folders the tests run: the shipped 两优 one, and two invented ones (anjian, xuexiao) beside this file."""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LIANGYOU = ROOT / "config" / "campaigns" / "liangyou"
ANJIAN = HERE / "anjian"  # a 旗县 safety-inspection return: no unit categories, one office
XUEXIAO = HERE / "xuexiao"  # a school-statistics return: two categories, two offices, a report document
LIANGYOU_PREFIXES = (("内蒙古自治区", ""), ("内蒙古", ""), ("兴安盟", "盟"))


def copy_campaign(source: Path, target: Path) -> Path:
    """A private copy of a campaign folder (tests may edit it); returns the copy's folder."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target
