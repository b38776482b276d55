"""The campaign file's materials: [[returns]], their columns, contact fields and [[metrics]]."""

from __future__ import annotations

from routing.model.campaign_schema import REQUIRED, Key, add_section

LAYOUTS = ("document", "contact", "table")
FILE_TYPES = ("any", "excel", "word")

add_section(
    "returns[]", "一项需报送的材料（附件表格、实施方案、联络人等）。",
    Key("kind", "文本", "材料的标识，如 \"attachment1\"；routing、metrics 以此引用。", REQUIRED),
    Key("label", "文本", "材料的简称，如 \"附件1\"。", "（kind）"),
    Key("title", "文本", "材料的标题，与通知印发的一致。", "（label）"),
    Key("deadline", "文本", "截止时间的键名（[deadlines.键名]）。", REQUIRED),
    Key("layout", "文本", "材料的形式：document（文字材料，如实施方案）、contact（联络人信息）、table（表格）。", REQUIRED,
        choices=LAYOUTS),
    Key("keywords", "文本列表", "文件名、邮件主题或正文中出现即视为本材料的词（document、contact）。", []),
    Key("min_chars", "整数", "document：正文至少多少字，否则告知内容过短。", 50),
    Key("fields", "表列表", "contact：联络人信息的各项（见 returns[].fields[]）。", []),
    Key("other_people", "文本列表", "contact：联络人以外的人员称谓（如 分管领导），其姓名电话不作为联络人的。", []),
    Key("columns", "列定义列表", "table：表格的列，按通知印发的顺序（见 returns[].columns[]）；可直接写列名字符串。", []),
    Key("optional_columns", "列名列表", "table：表头中缺少也不告知的列（如 备注）。", []),
    Key("unit_label", "文本", "table：表格上方填写单位名称的标签，如 \"部门（单位）盖章\"。", ""),
    Key("unit_aliases", "文本列表", "table：单位标签的其他写法。", []),
    Key("date_label", "文本", "table：表格上方填写日期的标签，如 \"填表日期\"。", ""),
    Key("date_aliases", "文本列表", "table：日期标签的其他写法。", []),
    Key("rules", "表列表", "table：逐行检查的规则（见“规则类型”）。", []),
    Key("zero_words", "文本列表", "table：表示零天的用语（如 即办），供 duration、compare 等规则和成果统计使用。", []),
    Key("none_words", "文本列表", "table：表示“无此项”的用语（如 无、/），这样的单元格不参与计算。", []),
    Key("paper", "文本", "table：空白表格的纸张（A3 或 A4）。", "A4", choices=("A3", "A4")),
    Key("min_rows", "整数", "table：至少填写几行（如通知要求“确定1至2名”则为 1）；0 表示不限。", 0),
    Key("max_rows", "整数", "table：至多填写几行（如“确定1至2名”则为 2）；0 表示不限。", 0),
    Key("file_type", "文本", "table：报送文件的类型：any（Excel 或 Word 均可）、excel（只收 Excel）、word（只收 Word）。",
        "any", choices=FILE_TYPES),
    Key("footnotes", "文本列表", "table：表格下方的注（按通知原文，每条一项），写入 mailbot templates 生成的空白表格。", []),
    example='[[returns]]\nkind = "attachment1"\nlabel = "附件1"\ntitle = "优化部门职能职责建议清单"\n'
            'deadline = "lists"\nlayout = "table"\ncolumns = ["序号", "需要调整的职能职责", "备注"]',
)

add_section(
    "returns[].columns[]", "表格的一列（也可只写列名字符串）。",
    Key("name", "文本", "列名，与通知印发的表头一致（换行去掉）。", REQUIRED),
    Key("group", "文本", "两行表头的上一行（合并单元格）名称，如 \"事项类别\"。", None),
    Key("role", "文本", "列的用途：seq（序号）、tick（划√的列）。", None, choices=("seq", "tick")),
    Key("aliases", "文本列表", "各单位对该列的其他写法；比对时不计空格、换行、全半角、引号样式和括号中的说明。", []),
    Key("choices", "文本列表", "下拉列表的选项：写入空白表格（数据有效性），报回的值不在其中即告知。", []),
    example='columns = [\n  { name = "序号", role = "seq" },\n  { name = "类型", choices = ["取消", "下放"] },\n]',
)

add_section(
    "returns[].fields[]", "联络人信息的一项（layout = \"contact\"）。",
    Key("name", "文本", "该项的名称，如 \"联络人\"、\"职务\"、\"电话\"。", REQUIRED),
    Key("role", "文本", "该项是什么：name（姓名）、position（职务）、phone（电话）。", None,
        choices=("name", "position", "phone")),
    Key("aliases", "文本列表", "该项的其他写法。", []),
    Key("required", "布尔", "缺少时是否告知。", False),
    Key("pattern", "正则表达式", "电话的格式：命名格式 phone、phone-strict（座机须带区号），或正则表达式。", None),
    example='fields = [ { name = "电话", role = "phone", required = true, pattern = "phone-strict" } ]',
)

add_section(
    "metrics[]", "一项按报表统计的成果数（台账和汇总表中逐单位合计）。",
    Key("key", "文本", "稳定的标识（保存在台账中），如 \"delegation.total\"。", REQUIRED),
    Key("label", "文本", "名称，如 \"权力下放：事项总数\"。", "（key）"),
    Key("form", "文本", "统计哪项材料（returns 的 kind）。", REQUIRED),
    Key("kind", "文本", "统计方法：count（行数）、count-items（column 中列出的项数，未列出时为 minuend 比 subtrahend "
        "多的项数）、sum-duration（column 中的天数，未填时为 minuend − subtrahend，只计 unit 单位的）。", REQUIRED,
        choices=("count", "count-items", "sum-duration")),
    Key("column", "列名", "count-items、sum-duration：读取的列。", None),
    Key("minuend", "列名", "被减数所在的列。", None),
    Key("subtrahend", "列名", "减数所在的列。", None),
    Key("unit", "文本", "sum-duration：只计 natural（自然日）或 working（工作日）。", None, choices=("natural", "working")),
    Key("where", "条件", "count：只计满足条件的行。", None),
    example='[[metrics]]\nkey = "delegation.total"\nlabel = "权力下放：事项总数"\nform = "attachment2"\nkind = "count"',
)
