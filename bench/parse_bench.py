"""Benchmark: reading a 200-row 附件3 with read_attachment against a bare openpyxl.load_workbook (goal ≤ 1.5×)."""

from __future__ import annotations

import io
import sys
import timeit
import tomllib
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers import read_attachment  # noqa: E402
from parsers.blanks.workbook import xlsx_template  # noqa: E402
from routing.model.campaign import Campaign  # noqa: E402
from routing.model.campaign_load import build_campaign

ROW = ["事项{n}", "√", "", "受理、审查、决定", "受理、决定", "审查", "合并", "申请表、身份证、营业执照", "申请表、身份证", "营业执照",
       "信息共享", "20个工作日", "5个工作日", "15个工作日", "《中华人民共和国行政许可法》第四十二条", ""]


def workbook(rows: int = 200) -> tuple[Campaign, bytes]:
    """The shipped campaign and a filled 附件3 of ``rows`` rows."""
    campaign = build_campaign(tomllib.loads((ROOT / "config" / "campaign.toml").read_text(encoding="utf-8")))
    spec = campaign.form("attachment3")
    names = [c.name for c in spec.columns]
    filled = [dict(zip(names, [str(n), *(v.format(n=n) for v in ROW)])) for n in range(1, rows + 1)]
    return campaign, xlsx_template(spec, filled, unit="兴安盟某局", date="2023年1月5日")


def main() -> None:
    """Print both timings (best of several runs) and their ratio."""
    campaign, data = workbook()
    result = read_attachment(data, "附件3.xlsx", campaign)
    assert len(result.returns[0].rows) == 200 and not result.returns[0].problems, result.returns[0].problems
    # Interleaved, best of many: the figure should not depend on what else the machine is doing.
    bare, ours = float("inf"), float("inf")
    for _ in range(15):
        bare = min(bare, timeit.timeit(lambda: openpyxl.load_workbook(io.BytesIO(data)), number=2) / 2)
        ours = min(ours, timeit.timeit(lambda: read_attachment(data, "附件3.xlsx", campaign), number=2) / 2)
    print(f"openpyxl.load_workbook: {bare * 1000:.1f} ms")
    print(f"read_attachment:        {ours * 1000:.1f} ms")
    print(f"ratio:                  {ours / bare:.2f}× (goal ≤ 1.5×)")


if __name__ == "__main__":
    main()
