"""Every rule of 附件1–3 (from the notice's footnotes), each caught by a test that fails without it."""

from __future__ import annotations

import pytest

from parsers import read_attachment
from parsers.problems import flatten
from tests.routing.test_parse_build import campaign, good_row, sheet_rows, xlsx


@pytest.fixture(scope="module")
def camp():
    return campaign()


def problems(camp, form, *rows, **labels):
    result = read_attachment(xlsx(sheet_rows(form, list(rows), **labels)), "a.xlsx", camp)
    assert not result.problems, result.problems
    return flatten(result.returns[0].problems)


def row(form, n=1, **changes):
    values = good_row(form, n)
    names = {1: ["序号", "需要调整的职能职责", "调整建议", "调整依据或理由"],
             2: ["序号", "事项名称", "权责清单事项", "内部管理事项", "取消和下放的依据或理由", "承接主体", "取消或下放后续措施", "备注"],
             3: ["序号", "事项名称", "权责清单事项", "内部管理事项", "原办理环节", "现办理环节", "精减的环节名称", "精减环节方式",
                 "原材料名称", "现所需要的材料名称", "精减的材料名称", "精简方式", "原办理时限", "现办理时限", "压缩自然日/工作日",
                 "事项依据", "备注"]}[form]
    for name, value in changes.items():
        values[names.index(name)] = value
    return values


def test_attachment1_required_columns(camp):
    found = problems(camp, 1, row(1, 1), row(1, 2, 调整建议=None, 调整依据或理由=" "), row(1, 3, 需要调整的职能职责=None))
    assert found == [(2, "调整建议", "missing-value"), (2, "调整依据或理由", "missing-value"), (3, "需要调整的职能职责", "missing-value")]


def test_attachment2_required_columns(camp):
    found = problems(camp, 2, row(2, 1, 事项名称=None), row(2, 2, 取消和下放的依据或理由=None, 取消或下放后续措施=None, 承接主体=None))
    assert found == [(1, "事项名称", "missing-value"), (2, "取消和下放的依据或理由", "missing-value"), (2, "取消或下放后续措施", "missing-value")]


@pytest.mark.parametrize("form", [2, 3])
def test_category_ticked_in_exactly_one_column(camp, form):
    found = problems(camp, form, row(form, 1), row(form, 2, 权责清单事项=None), row(form, 3, 内部管理事项="√"))
    assert found == [(2, "事项类别", "category-not-single"), (3, "事项类别", "category-not-single")]


@pytest.mark.parametrize("mark", ["√", "✓", "✔", "☑", "■", "是", "1", "V", "v", "x", "X", " √ "])
def test_every_configured_mark_counts_as_ticked(camp, mark):
    assert problems(camp, 2, row(2, 1, 权责清单事项=None, 内部管理事项=mark)) == []


def test_category_message_says_how_to_fix(camp):
    result = read_attachment(xlsx(sheet_rows(2, [row(2, 1, 权责清单事项=None)])), "a.xlsx", camp)
    problem = result.returns[0].problems[0]
    assert problem.cell == "C6"
    assert "第1行“事项类别”应在“权责清单事项”或“内部管理事项”中选择一项划“√”" in problem.message


def test_delegated_item_needs_a_recipient(camp):
    found = problems(camp, 2, row(2, 1, 承接主体=None), row(2, 2, 承接主体=None, 取消或下放后续措施="取消后加强监管"))
    assert found == [(1, "承接主体", "recipient-missing")]


def test_attachment3_item_name_required(camp):
    assert problems(camp, 3, row(3, 1, 事项名称=None)) == [(1, "事项名称", "missing-value")]


def test_attachment3_at_least_one_group(camp):
    empty = {name: None for name in ("原办理环节", "现办理环节", "精减的环节名称", "精减环节方式", "原材料名称", "现所需要的材料名称",
                                     "精减的材料名称", "精简方式", "原办理时限", "现办理时限", "压缩自然日/工作日")}
    found = problems(camp, 3, row(3, 1, **empty))
    assert found == [(1, "简化办事程序/精减办事要件/压缩办事时限", "no-reduction-filled")]


def test_attachment3_started_group_is_complete(camp):
    only_time = {name: None for name in ("原办理环节", "现办理环节", "精减的环节名称", "精减环节方式", "原材料名称", "现所需要的材料名称",
                                         "精减的材料名称", "精简方式")}
    assert problems(camp, 3, row(3, 1, **only_time)) == []
    found = problems(camp, 3, row(3, 1, 精减环节方式=None, 精简方式=None))
    assert found == [(1, "精减环节方式", "group-incomplete"), (1, "精简方式", "group-incomplete")]


def test_attachment3_a_group_marked_nothing_is_not_started(camp):
    # "/" under 原材料名称 and 现所需要的材料名称 says the row reduces no materials: no "精减的材料名称未填写".
    materials = {"原材料名称": "/", "现所需要的材料名称": "无", "精减的材料名称": None, "精简方式": None}
    assert problems(camp, 3, row(3, 1, **materials)) == []
    found = problems(camp, 3, row(3, 1, 原材料名称="申请表、身份证", 现所需要的材料名称="无", 精减的材料名称=None))
    assert found == [(1, "精减的材料名称", "group-incomplete")]


def test_attachment3_time_limits_read_as_durations(camp):
    found = problems(camp, 3, row(3, 1, 原办理时限="二十个工作日", 现办理时限="即办", **{"压缩自然日/工作日": "20个工作日"}),
                     row(3, 2, 原办理时限="20日", 现办理时限="5天", **{"压缩自然日/工作日": "15"}),
                     row(3, 3, 原办理时限="尽快", 现办理时限="5天", **{"压缩自然日/工作日": "很多"}))
    assert found == [(3, "原办理时限", "not-a-duration"), (3, "压缩自然日/工作日", "not-a-duration")]


def test_attachment3_new_limit_not_longer_than_old(camp):
    found = problems(camp, 3, row(3, 1, 原办理时限="5个工作日", 现办理时限="10个工作日", **{"压缩自然日/工作日": "无"}))
    assert found == [(1, "现办理时限", "time-limit-not-reduced")]


def test_attachment3_reduction_equals_old_minus_new(camp):
    found = problems(camp, 3, row(3, 1, **{"压缩自然日/工作日": "10个工作日"}), row(3, 2, 现办理时限="即办", **{"压缩自然日/工作日": "20个工作日"}))
    assert found == [(1, "压缩自然日/工作日", "reduction-mismatch")]


def test_attachment3_removed_steps_and_materials_consistent(camp):
    found = problems(camp, 3, row(3, 1, 精减的环节名称="审查、公示"), row(3, 2, 精减的材料名称="营业执照、户口本"))
    assert found == [(1, "精减的环节名称", "steps-inconsistent"), (2, "精减的材料名称", "materials-inconsistent")]


@pytest.mark.parametrize("basis, ok", [
    ("《中华人民共和国行政许可法》第四十二条", True),
    ("《关于开展两优专项行动的通知》（兴党办发电〔2022〕18号）", True),
    ("《行政许可法》第42条", True),
    ("行政许可法", False),
    ("《行政许可法》", False),
])
def test_attachment3_basis_names_document_and_number(camp, basis, ok):
    found = problems(camp, 3, row(3, 1, 事项依据=basis))
    assert found == ([] if ok else [(1, "事项依据", "basis-incomplete")])


def test_seq_gap_is_a_warning(camp):
    result = read_attachment(xlsx(sheet_rows(1, [row(1, 1), row(1, 2), row(1, 4)])), "a.xlsx", camp)
    ret = result.returns[0]
    assert flatten(ret.problems) == [(3, "序号", "seq-gap")]
    assert ret.status == "accepted"


def test_blank_and_placeholder_rows_are_skipped(camp):
    found = problems(camp, 1, row(1, 1), [2], [None, None], ["…", "……"], row(1, 2))
    assert found == []


def test_unit_and_date_lines_missing_or_bad(camp):
    assert problems(camp, 1, row(1), unit="", date="") == [(None, None, "unit-missing"), (None, None, "date-missing")]
    assert problems(camp, 1, row(1), date="明天") == [(None, None, "date-invalid")]


def test_missing_column_is_an_error(camp):
    rows = sheet_rows(1, [row(1)])
    rows[3] = ["序号", "需要调整的职能职责", "调整意见", "调整依据或理由", "备注"]
    result = read_attachment(xlsx(rows), "a.xlsx", camp)
    assert flatten(result.returns[0].problems) == [(None, "调整建议", "missing-column")]
