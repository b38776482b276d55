"""Blank templates: the notice's layout, and a template filled by code parses with zero problems."""

from __future__ import annotations

import argparse
import io

import openpyxl
import pytest

from mailbot.cli.commands import templates
from parsers import read_attachment
from parsers.blanks.document import docx_template
from parsers.blanks.workbook import xlsx_template
from tests.routing.test_parse_build import campaign, good_row


@pytest.fixture(scope="module")
def camp():
    return campaign()


def filled(spec, n):
    names = [c.name for c in spec.columns]
    return [dict(zip(names, good_row(int(spec.label[-1]), i) + [None])) for i in range(1, n + 1)]


@pytest.mark.parametrize("kind", ["attachment1", "attachment2", "attachment3"])
@pytest.mark.parametrize("build", [xlsx_template, docx_template])
def test_filled_template_round_trips_with_zero_problems(camp, kind, build):
    spec = camp.form(kind)
    rows = filled(spec, 3)
    result = read_attachment(build(spec, rows, unit="兴安盟某局", date="2023年1月5日"), "t", camp)
    assert not result.problems
    [ret] = result.returns
    assert (ret.kind, ret.unit_name, ret.problems) == (kind, "兴安盟某局", [])
    assert ret.rows == [{k: str(v) if v is not None else "" for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("build", [xlsx_template, docx_template])
def test_blank_template_is_recognised_but_unfilled(camp, build):
    result = read_attachment(build(camp.form("attachment3")), "t", camp)
    codes = [p.code for p in result.returns[0].problems]
    assert codes == ["unit-missing", "date-missing", "no-data-rows"]


def test_xlsx_layout_as_printed(camp):
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_template(camp.form("attachment3")))).active
    assert [ws["A1"].value, ws["A2"].value] == ["附件3", "保留职权事项及减环节、减材料、减时限清单"]
    assert ws["A3"].value == "部门（单位）盖章：" and "填表日期：" in [c.value for c in ws[3]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"C4:D4", "E4:H4", "I4:L4", "M4:O4", "A4:A5", "B4:B5"} <= merged
    assert (int(ws.page_setup.paperSize), ws.page_setup.orientation) == (int(ws.PAPERSIZE_A3), "landscape")


def test_cli_writes_six_files(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    templates.register(parser.add_subparsers())
    args = parser.parse_args(["templates", str(tmp_path / "out")])
    assert args.handler(args) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 6 and names[0].startswith("附件1_") and "已生成" in capsys.readouterr().out
