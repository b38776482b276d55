"""Header cells as offices write them: an explanation in brackets, quotes, line breaks, trailing words, own spellings."""

from __future__ import annotations

import random

import pytest

from parsers import read_attachment
from parsers.forms.headers import header_key
from parsers.forms.text import key
from parsers.problems import flatten
from tests.routing.test_parse_build import HEADS, campaign, docx_table, good_row, sheet_rows, xlsx


@pytest.fixture(scope="module")
def camp():
    return campaign()


def with_header(form: int, edit) -> list[list]:
    """The form's rows with every non-empty header cell passed through ``edit``."""
    rows = sheet_rows(form, [good_row(form, 1), good_row(form, 2)])
    for r in range(3, 3 + len(HEADS[form])):
        rows[r] = [edit(cell) if cell else cell for cell in rows[r]]
    return rows


def problems(camp, data: bytes, name: str = "a.xlsx"):
    result = read_attachment(data, name, camp)
    assert not result.problems, result.problems
    assert len(result.returns) == 1
    return flatten(result.returns[0].problems)


@pytest.mark.parametrize("edit", [
    lambda h: f"{h}（请填写全称）",
    lambda h: f"{h}\n(说明)",
    lambda h: f"{h}【必填】",
    lambda h: f"“{h}”",
    lambda h: f'"{h}"',
    lambda h: f"{h} \n （如有多项请分行填写）",
])
@pytest.mark.parametrize("form", [1, 2, 3])
def test_an_explanation_after_every_header_is_still_that_column(camp, form, edit):
    # Each of these was "表头中找不到…列" (an error) for every column before.
    found = problems(camp, xlsx(with_header(form, edit)))
    assert [p for p in found if p[2] == "missing-column"] == []


def test_the_notices_own_footnote_words_in_brackets_in_a_docx_table(camp):
    data = docx_table(3, [good_row(3)])
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    table = document.tables[0]
    table.cell(1, 15).text = "事项依据（只填写文件名称、文号及具体条款）"  # merged 事项依据 cell, lower half
    table.cell(0, 15).text = "事项依据（只填写文件名称、文号及具体条款）"
    table.cell(1, 14).text = "压缩自然日/\n工作日"
    out = io.BytesIO()
    document.save(out)
    assert [p for p in problems(camp, out.getvalue(), "附件3.docx") if p[2] == "missing-column"] == []


def renamed(form: int, column: str, header: str) -> tuple[list[list], object]:
    """The form with ``column``'s header cell written as ``header``, and the value row 1 holds in that column."""
    rows = sheet_rows(form, [good_row(form)])
    for r in range(3, 3 + len(HEADS[form])):
        if column in rows[r]:
            c = rows[r].index(column)
            rows[r][c] = header
    return rows, good_row(form)[c]


@pytest.mark.parametrize("header, column", [
    ("调整建议及具体措施", "调整建议"),
    ("调整依据或理由（法律法规、政策文件）", "调整依据或理由"),
    ("需要调整的职能职责内容", "需要调整的职能职责"),
])
def test_a_header_that_starts_with_the_column_is_that_column(camp, header, column):
    rows, value = renamed(1, column, header)
    ret = read_attachment(xlsx(rows), "a.xlsx", camp).returns[0]
    assert ret.rows[0][column] == value
    assert [p for p in flatten(ret.problems) if p[2] == "missing-column"] == []


@pytest.mark.parametrize("form, header, column", [
    (2, "承接单位", "承接主体"),
    (2, "取消或下放的依据或理由", "取消和下放的依据或理由"),
    (2, "取消和下放后续措施", "取消或下放后续措施"),
    (3, "压缩自然日（工作日）", "压缩自然日/工作日"),
    (3, "现所需材料名称", "现所需要的材料名称"),
    (3, "精简的环节名称", "精减的环节名称"),
    (3, "设定依据", "事项依据"),
])
def test_spellings_declared_as_aliases_in_the_campaign_file(camp, form, header, column):
    rows, value = renamed(form, column, header)
    ret = read_attachment(xlsx(rows), "a.xlsx", camp).returns[0]
    assert ret.rows[0][column] == value
    assert [p for p in flatten(ret.problems) if p[2] == "missing-column"] == []


def test_leading_words_never_take_a_different_column():
    vocabulary = tuple(sorted({key(c) for c in ("原办理环节", "原办理时限", "事项名称", "事项类别", "备注")}, key=len, reverse=True))
    assert header_key(key("原办理时限（工作日）"), vocabulary) == key("原办理时限")
    assert header_key(key("原办理环节"), vocabulary) == key("原办理环节")
    assert header_key(key("事项类别（划√）"), vocabulary) == key("事项类别")
    assert header_key(key("原办理"), vocabulary) == key("原办理")  # shorter than any column: left as written
    assert header_key(key("事项"), vocabulary) == key("事项")


@pytest.mark.parametrize("seed", range(60))
def test_decorated_headers_of_every_form_keep_every_column_and_add_no_error(camp, seed):
    rng = random.Random(seed)
    form = rng.choice([1, 2, 3])
    suffixes = ["", "（注）", "(单位：个)", "\n（必填）", "【可选】", " ", "\n", "（请在符合项划“√”）"]

    def edit(header: str) -> str:
        text = header
        if rng.random() < 0.3:
            cut = rng.randrange(1, len(text)) if len(text) > 1 else 1
            text = text[:cut] + rng.choice([" ", "\n", "\u3000"]) + text[cut:]
        if rng.random() < 0.2:
            text = rng.choice(["“{}”", '"{}"', "「{}」"]).format(text)
        return text + rng.choice(suffixes)

    rows = with_header(form, edit)
    result = read_attachment(xlsx(rows), "a.xlsx", camp)
    assert not result.problems and len(result.returns) == 1, (seed, rows[3:5])
    errors = [p for p in flatten(result.returns[0].problems) if p[2] in ("missing-column",)]
    assert errors == [], (seed, rows[3:5])
    assert all(p.severity.value == "warning" for p in result.returns[0].problems), result.returns[0].problems
