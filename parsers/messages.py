"""Default Chinese message templates, by problem code; a rule in the campaign file may give its own."""

from __future__ import annotations

DEFAULTS = {
    "missing-column": "表头中找不到“{column}”列，请按通知附件的格式保留该列（列名与通知一致）后重新发送",
    "unit-missing": "未填写“{label}”，请在表格上方写明单位全称并加盖公章",
    "date-missing": "未填写“{label}”，请补充填表日期（如2023年1月5日）",
    "date-invalid": "“{label}”中的“{value}”不是有效日期，请按“2023年1月5日”的格式填写",
    "formula-no-value": "第{row}行“{column}”是公式（{value}）但没有计算结果，请在 Excel 或 WPS 中打开并保存后重新发送，或直接填写数值",
    "no-data-rows": "表格未填写：{label}《{title}》中没有任何事项，请填写后重新发送；如确无相关事项，请在第一行填写“无”并说明",
    "seq-gap": "第{row}行序号为{value}，与上一行不连续（应为{expected}），请核对是否漏填或重复",
    "required": "第{row}行“{column}”未填写，请补充填写",
    "exactly-one-ticked": "第{row}行“{label}”应在“{options}”中选择一项划“√”（现为{count}项）",
    "one-of": "第{row}行“{column}”填写为“{value}”，请在“{options}”中选择一项填写",
    "number": "第{row}行“{column}”填写为“{value}”，应填写数字{sentinels}",
    "duration": "第{row}行“{column}”填写为“{value}”，应写明天数，如“20个工作日”“20天”或“即办”",
    "compare": "第{row}行“{column}”（{value}）应{op_text}“{other}”（{other_value}），请核对",
    "equals-difference": "第{row}行“{column}”填写为“{value}”，但“{minuend}”减“{subtrahend}”为{expected}，请核对",
    "pattern": "第{row}行“{column}”填写为“{value}”，格式不符合要求，请核对",
    "required-if": "第{row}行“{column}”未填写，{reason}，请补充填写",
    "set-consistency": "第{row}行“{column}”列出{count}项，但“{minuend}”比“{subtrahend}”少{expected}项，请核对",
    "any-group": "第{row}行在“{options}”中一项也未填写，请至少选择一项填写",
    "group-complete": "第{row}行已填写“{group}”部分内容，但“{column}”未填写，请补充完整",
    "plan-empty": "实施方案内容为空或过短（不足{min_chars}字），请发送完整的实施方案",
    "contact-missing-field": "未找到联络人信息中的“{column}”，请按“联络人：张三 职务：科长 电话：13912345678”的格式补充",
    "contact-phone-invalid": "联络人电话“{value}”不像有效的座机或手机号码，请填写带区号的座机号码（如010-12345678）或手机号码（如13912345678）",
    "unsupported-format": "附件“{file}”是{format_name}格式，系统无法读取，请另存为.xlsx/.docx后重新发送",
    "no-form-found": "附件“{file}”中没有找到通知要求报送的材料（{expected}）；请使用通知所附表格的格式（表头与通知一致）后重新发送",
}


def expected_forms(campaign) -> str:
    """The campaign's returns by label (实施方案、联络人、附件1…), for a file that holds none of them."""
    return "、".join(spec.label for spec in campaign.forms)


def render(code: str, template: str | None = None, **values: object) -> str:
    """The message for ``code``, from ``template`` or the default, with missing fields left blank."""
    text = template or DEFAULTS.get(code, code)
    try:
        return text.format_map(_Blank(values))
    except (ValueError, IndexError):
        return text


class _Blank(dict):
    """format_map mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, name: str) -> str:
        return ""
