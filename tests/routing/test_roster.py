"""The roster: parsing rows, reading csv/xlsx files, looking units up, and the shipped config/roster.csv."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from mailbot.ledger.roster_io import read_roster_file
from routing.errors import RosterError
from routing.model.roster import Roster, parse_roster

CATS = ("党群", "政府")
HEADER = ["单位名称", "别名", "类别", "邮箱", "联系人", "联系电话"]
from tests.campaigns import LIANGYOU_PREFIXES  # noqa: E402

SHIPPED = Path(__file__).resolve().parent.parent.parent / "config" / "campaigns" / "liangyou" / "roster.csv"
GOOD = [
    ["兴安盟教育局", "盟教育局", "政府", "jyj@example.com；JYJ-BGS@Example.net", "张三", "0482-0000001"],
    ["共青团兴安盟委员会", "团盟委、盟团委", "党群", "tmw@example.net", "李四", ""],
    ["兴安盟红十字会", "", "党群", "", "待定", ""],
]


def _rows(*data, header=HEADER):
    return [dict(zip(header, row)) for row in data]


def _error(rows, **kw):
    with pytest.raises(RosterError) as info:
        parse_roster(rows, CATS, **kw)
    return str(info.value)


def test_parse_roster_builds_units():
    units = parse_roster(_rows(*GOOD), CATS)
    got = [(u.name, u.aliases, u.category, u.emails, u.contact, u.phone) for u in units]
    assert got == [
        ("兴安盟教育局", ("盟教育局",), "政府", ("jyj@example.com", "jyj-bgs@example.net"), "张三", "0482-0000001"),
        ("共青团兴安盟委员会", ("团盟委", "盟团委"), "党群", ("tmw@example.net",), "李四", ""),
        ("兴安盟红十字会", (), "党群", (), "待定", ""),
    ]


@pytest.mark.parametrize("cell", ["a@example.com;b@example.com", "a@example.com，b@example.com", "a@example.com、b@example.com", "a@example.com\nb@example.com", "a@example.com, b@example.com"])
def test_every_separator_splits_a_cell(cell):
    (unit,) = parse_roster(_rows(["兴安盟教育局", "", "政府", cell, "", ""]), CATS)
    assert unit.emails == ("a@example.com", "b@example.com")


def test_full_width_at_sign_is_folded():
    (unit,) = parse_roster(_rows(["兴安盟教育局", "", "政府", "ｊｙｊ＠example.com", "", ""]), CATS)
    assert unit.emails == ("jyj@example.com",)


def test_phone_column_is_optional():
    header = HEADER[:5]
    (unit,) = parse_roster(_rows(["兴安盟教育局", "", "政府", "", "张三"], header=header), CATS)
    assert (unit.name, unit.phone) == ("兴安盟教育局", "")


def test_missing_column_names_the_column_and_header_row():
    header = ["单位名称", "别名", "邮箱", "联系人"]
    msg = _error(_rows(["兴安盟教育局", "", "", ""], header=header), first_row=4)
    assert "第3行" in msg and "“类别”" in msg


def test_unknown_category_names_the_row():
    msg = _error(_rows(GOOD[0], ["兴安盟民政局", "", "政府部门", "", "", ""]))
    assert msg == "第3行的类别“政府部门”无法识别，应填写“党群”或“政府”。"


def test_duplicate_name_names_both_rows():
    msg = _error(_rows(GOOD[0], GOOD[1], ["兴安盟教育局", "", "政府", "", "", ""]))
    assert msg == "第4行的单位名称“兴安盟教育局”与第2行重复。"


def test_bad_email_names_the_row():
    msg = _error(_rows(GOOD[0], ["兴安盟民政局", "", "政府", "mzj at example.com", "", ""]))
    assert msg.startswith("第3行的邮箱“mzj at example.com”格式不正确")


def test_address_of_two_units_is_refused():
    msg = _error(_rows(GOOD[0], ["兴安盟民政局", "", "政府", "JYJ@example.com", "", ""]))
    assert msg.startswith("第3行的邮箱“jyj@example.com”已在第2行使用")


def test_alias_that_names_another_unit_is_refused():
    msg = _error(_rows(GOOD[0], ["兴安盟体育局", "教育局；盟教育局", "政府", "", "", ""]))
    assert "第3行的名称“盟教育局”与第2行的单位“兴安盟教育局”无法区分" in msg


def test_missing_name_is_reported():
    assert _error(_rows(["", "盟教育局", "政府", "", "", ""])).startswith("第2行缺少“单位名称”")


def test_every_fault_is_reported_at_once():
    msg = _error(_rows(["兴安盟民政局", "", "x", "", "", ""], ["兴安盟民族局", "", "y", "", "", ""]))
    assert msg.splitlines() == [
        "第2行的类别“x”无法识别，应填写“党群”或“政府”。",
        "第3行的类别“y”无法识别，应填写“党群”或“政府”。",
    ]


def test_blank_rows_are_skipped_but_counted():
    rows = _rows(GOOD[0], [""] * 6, ["兴安盟民政局", "", "?", "", "", ""])
    assert _error(rows).startswith("第4行的类别")


def test_empty_roster_is_refused():
    assert "没有任何单位" in _error([])


# ---- lookups ----


def test_by_email_is_case_insensitive_and_knows_both_addresses():
    roster = Roster(parse_roster(_rows(*GOOD), CATS), LIANGYOU_PREFIXES)
    assert [roster.by_email(a).name for a in ("JYJ@EXAMPLE.COM", "jyj-bgs@example.net", " Tmw@Example.Net ")] == [
        "兴安盟教育局",
        "兴安盟教育局",
        "共青团兴安盟委员会",
    ]
    assert roster.by_email("nobody@example.com") is None


def test_unit_without_address_is_found_by_name_only():
    roster = Roster(parse_roster(_rows(*GOOD), CATS), LIANGYOU_PREFIXES)
    assert roster.get("兴安盟红十字会").emails == ()
    assert roster.match_name("盟红十字会（盖章）").unit.name == "兴安盟红十字会"
    assert roster.by_email("") is None


def test_get_is_exact():
    roster = Roster(parse_roster(_rows(*GOOD), CATS), LIANGYOU_PREFIXES)
    assert (roster.get(" 兴安盟教育局 ").name, roster.get("盟教育局")) == ("兴安盟教育局", None)


# ---- files ----


def _csv(tmp_path, encoding, lines, name="roster.csv"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


CSV_LINES = [
    ",".join(HEADER),
    "兴安盟教育局,盟教育局,政府,\"jyj@example.com；jyj-bgs@example.net\",张三,0482-0000001",
    "共青团兴安盟委员会,\"团盟委\n盟团委\",党群,tmw@example.net,李四,",
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_each_encoding(tmp_path, encoding):
    units = read_roster_file(_csv(tmp_path, encoding, CSV_LINES), CATS)
    assert [(u.name, u.aliases, u.emails) for u in units] == [
        ("兴安盟教育局", ("盟教育局",), ("jyj@example.com", "jyj-bgs@example.net")),
        ("共青团兴安盟委员会", ("团盟委", "盟团委"), ("tmw@example.net",)),
    ]


def test_csv_error_names_the_row_a_spreadsheet_shows(tmp_path):
    # The quoted line break in row 3 must not shift the row number of row 4.
    lines = [*CSV_LINES, "兴安盟民政局,,政府口,,,"]
    with pytest.raises(RosterError, match="^第4行的类别“政府口”"):
        read_roster_file(_csv(tmp_path, "gb18030", lines), CATS)


def test_csv_header_under_a_title_line(tmp_path):
    lines = ["兴安盟“两优”报送单位名册,,,,,", *CSV_LINES, "兴安盟教育局,,政府,,,"]
    with pytest.raises(RosterError, match="^第5行的单位名称“兴安盟教育局”与第3行重复"):
        read_roster_file(_csv(tmp_path, "utf-8", lines), CATS)


def test_csv_missing_column(tmp_path):
    lines = ["单位名称,别名,邮箱,联系人", "兴安盟教育局,,,"]
    with pytest.raises(RosterError, match="第1行（表头）缺少“类别”列"):
        read_roster_file(_csv(tmp_path, "utf-8", lines), CATS)


def test_csv_without_header(tmp_path):
    with pytest.raises(RosterError, match="找不到表头行"):
        read_roster_file(_csv(tmp_path, "utf-8", ["兴安盟教育局,,政府,,,"]), CATS)


def test_csv_undecodable_bytes(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\x81\x30\xff\xff" * 10)
    with pytest.raises(RosterError, match="编码"):
        read_roster_file(path, CATS)


def _xlsx(tmp_path, rows, title=None, sheet_before=False):
    book = Workbook()
    sheet = book.active
    if sheet_before:
        sheet.title = "说明"
        sheet.append(["请在第二个工作表填写名册"])
        sheet = book.create_sheet("名册")
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_xlsx_with_title_rows_and_a_cover_sheet(tmp_path):
    rows = [HEADER, ["兴安盟教育局", "盟教育局", "政府", "jyj@example.com\njyj-bgs@example.net", "张三", 4820000001]]
    (unit,) = read_roster_file(_xlsx(tmp_path, rows, title="兴安盟“两优”报送单位名册", sheet_before=True), CATS)
    assert (unit.name, unit.emails, unit.phone) == ("兴安盟教育局", ("jyj@example.com", "jyj-bgs@example.net"), "4820000001")


def test_xlsx_error_names_the_sheet_row(tmp_path):
    rows = [HEADER, GOOD[0], ["兴安盟民政局", "", "群团", "", "", ""]]
    with pytest.raises(RosterError, match="^第5行的类别“群团”"):
        read_roster_file(_xlsx(tmp_path, rows, title="名册"), CATS)


def test_xlsx_missing_column(tmp_path):
    with pytest.raises(RosterError, match="缺少“别名”列"):
        read_roster_file(_xlsx(tmp_path, [["单位名称", "类别", "邮箱", "联系人"], ["兴安盟教育局", "政府", "", ""]]), CATS)


def test_xlsx_header_only(tmp_path):
    with pytest.raises(RosterError, match="没有任何单位"):
        read_roster_file(_xlsx(tmp_path, [HEADER]), CATS)


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(RosterError, match="不是有效的 .xlsx"):
        read_roster_file(path, CATS)


@pytest.mark.parametrize("name", ["roster.xls", "roster.txt"])
def test_other_formats_are_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(RosterError, match="格式不受支持"):
        read_roster_file(path, CATS)


def test_missing_file(tmp_path):
    with pytest.raises(RosterError, match="无法打开名册文件"):
        read_roster_file(tmp_path / "nowhere.csv")


# ---- the shipped roster ----


def test_shipped_roster_reads_and_covers_the_notice_addressees():
    roster = Roster(read_roster_file(SHIPPED, CATS), LIANGYOU_PREFIXES)
    expected = ["乌兰浩特市人民政府", "中共科尔沁右翼前旗委员会", "兴安农垦集团", "兴安盟经济技术开发区管理委员会",
                "中共兴安盟委员会机构编制委员会办公室", "兴安盟行政审批和政务服务局", "共青团兴安盟委员会", "兴安盟红十字会"]
    assert [roster.get(name).name for name in expected] == expected
    assert {u.category for u in roster} == {"党群", "政府"}


def test_shipped_roster_uses_only_reserved_domains():
    reserved = ("example.com", "example.org", "example.net", ".example", ".test")
    emails = [a for u in Roster(read_roster_file(SHIPPED, CATS), LIANGYOU_PREFIXES) for a in u.emails]
    assert emails and [a for a in emails if not a.split("@")[1].endswith(reserved)] == []


def test_shipped_roster_has_units_without_and_with_two_addresses():
    units = read_roster_file(SHIPPED, CATS)
    assert [u.name for u in units if not u.emails] and [u.name for u in units if len(u.emails) == 2]


@pytest.mark.parametrize(
    "written, unit",
    [
        ("科右前旗政府", "科尔沁右翼前旗人民政府"),
        ("团盟委", "共青团兴安盟委员会"),
        ("教育局", "兴安盟教育局"),
        ("盟委编办", "中共兴安盟委员会机构编制委员会办公室"),
        ("兴安盟纪委监委", "中共兴安盟纪律检查委员会"),
        ("盟发改委", "兴安盟发展和改革委员会"),
    ],
)
def test_shipped_roster_knows_the_usual_short_names(written, unit):
    assert Roster(read_roster_file(SHIPPED, CATS), LIANGYOU_PREFIXES).match_name(written).unit.name == unit


@pytest.mark.parametrize("written", ["科右前旗", "乌兰浩特市", "盟委"])
def test_shipped_roster_bare_place_names_are_ambiguous(written):
    # A banner has both a 旗委 (党群) and a 政府 (政府) in the roster: a person decides.
    assert Roster(read_roster_file(SHIPPED, CATS), LIANGYOU_PREFIXES).match_name(written).ambiguous


@pytest.mark.parametrize("address, ok", [("jyj@example.com", True), ("a.b+c@mail.example.org", True), ("jyj@", False), ("jyj example.com", False), ("jyj@localhost", False)])
def test_is_valid_email(address, ok):
    from routing.model.roster import is_valid_email

    assert is_valid_email(address) is ok
