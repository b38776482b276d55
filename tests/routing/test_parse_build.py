"""Builders for the parser tests: small 附件1–3 workbooks and documents written in the test, no fixtures."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import docx
import openpyxl

from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign

CONFIG = Path(__file__).resolve().parent.parent.parent / "config" / "campaigns" / "liangyou" / "campaign.toml"

HEAD2 = (["序号", "事项名称", "事项类别", None, "取消和下放的依据或理由", "承接主体", "取消或下放后续措施", "备注"],
         [None, None, "权责清单事项", "内部管理事项", None, None, None, None])
HEAD3 = (["序号", "事项名称", "事项类别", None, "简化办事程序", None, None, None, "精减办事要件", None, None, None,
          "压缩办事时限", None, None, "事项依据", "备注"],
         [None, None, "权责清单事项", "内部管理事项", "原办理环节", "现办理环节", "精减的环节名称", "精减环节方式",
          "原材料名称", "现所需要的材料名称", "精减的材料名称", "精简方式", "原办理时限", "现办理时限", "压缩自然日/工作日",
          None, None])
HEAD1 = (["序号", "需要调整的职能职责", "调整建议", "调整依据或理由", "备注"],)
TITLES = {1: "优化部门职能职责建议清单", 2: "取消和下放职权事项清单", 3: "保留职权事项及减环节、减材料、减时限清单"}
HEADS = {1: HEAD1, 2: HEAD2, 3: HEAD3}


def campaign() -> Campaign:
    """The shipped 两优 campaign."""
    return build_campaign(tomllib.loads(CONFIG.read_text(encoding="utf-8")))


def good_row(form: int, n: int = 1) -> list:
    """A data row that breaks no rule."""
    if form == 1:
        return [n, "审批职能分散", "集中到审批科", "《三定规定》第三条"]
    if form == 2:
        return [n, f"事项{n}", "√", None, "《行政许可法》第十二条", "各旗县市", "下放后加强事中事后监管", None]
    return [n, f"事项{n}", "√", None, "受理、审查、决定", "受理、决定", "审查", "合并", "申请表、身份证、营业执照",
            "申请表、身份证", "营业执照", "信息共享", "20个工作日", "5个工作日", "15个工作日",
            "《中华人民共和国行政许可法》第四十二条", None]


def sheet_rows(form: int, rows: list[list], *, unit: str = "兴安盟某某局", date: object = "2023年1月5日") -> list[list]:
    """The rows of a filled form laid out as the notice prints it."""
    head = HEADS[form]
    return [[f"附件{form}"], [TITLES[form]], [f"部门（单位）盖章：{unit}", None, f"填表日期：{date}"], *map(list, head), *rows]


def xlsx(*sheets: list[list], names: tuple[str, ...] = (), merge: bool = True, offset: tuple[int, int] = (0, 0)) -> bytes:
    """A workbook with one sheet per row list; two-row header groups merged as in the notice."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, rows in enumerate(sheets):
        ws = book.create_sheet(names[i] if i < len(names) else f"Sheet{i + 1}")
        for r, row in enumerate(rows, start=1 + offset[0]):
            for c, value in enumerate(row, start=1 + offset[1]):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        if merge:
            _merge_groups(ws, rows, offset)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merge_groups(ws, rows: list[list], offset: tuple[int, int]) -> None:
    for r, row in enumerate(rows):
        if row and row[0] == "序号" and r + 1 < len(rows) and rows[r + 1] and rows[r + 1][0] is None:
            for c, value in enumerate(row):
                if value is not None:
                    span = next((k for k in range(c + 1, len(row)) if row[k] is not None), len(row)) - 1
                    top, left = r + 1 + offset[0], c + 1 + offset[1]
                    if span > c:
                        ws.merge_cells(start_row=top, start_column=left, end_row=top, end_column=span + 1 + offset[1])
                    elif rows[r + 1][c] is None:
                        ws.merge_cells(start_row=top, start_column=left, end_row=top + 1, end_column=left)


def docx_table(form: int, rows: list[list], *, unit: str = "兴安盟某某局", paragraphs: tuple[str, ...] = ()) -> bytes:
    """A document with the title, unit and date lines as paragraphs and the form as a table."""
    document = docx.Document()
    for text in (*paragraphs, f"附件{form}", TITLES[form], f"部门（单位）盖章：{unit}    填表日期：2023年1月5日"):
        document.add_paragraph(text)
    head = [list(h) for h in HEADS[form]]
    table = document.add_table(rows=0, cols=len(head[0]))
    for row in (*head, *rows):
        cells = table.add_row().cells
        for c, value in enumerate(row[: len(cells)]):
            cells[c].text = "" if value is None else str(value)
    if len(head) == 2:
        for c, (up, low) in enumerate(zip(*head)):
            if low is None:
                table.cell(0, c).merge(table.cell(1, c))
        _merge_docx_groups(table, head[0])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _merge_docx_groups(table, top: list) -> None:
    for c, value in enumerate(top):
        if value is not None:
            span = next((k for k in range(c + 1, len(top)) if top[k] is not None), len(top)) - 1
            if span > c:
                merged = table.cell(0, c).merge(table.cell(0, span))
                merged.text = value


def document(*paragraphs: str) -> bytes:
    """A plain document of paragraphs."""
    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
