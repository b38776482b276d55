"""The catalogue of problem codes: every stable code the parsers and rules report, with its Chinese message template.

A code is a contract (verdict JSON, ledger, exports): tests/mailbot/test_problem_codes.py freezes the set, so renaming or
dropping one is a deliberate act. Templates use str.format fields; a field a caller does not give is left blank.
A campaign's rules may name codes and messages of their own (the campaign is data); those are not listed here.
"""

from __future__ import annotations

CATALOGUE: dict[str, str] = {
    # The form as a whole
    "missing-column": "表头中找不到“{column}”列，请按通知附件的格式保留该列（列名与通知一致）后重新发送",
    "unit-missing": "未填写“{label}”，请在表格上方写明单位全称并加盖公章",
    "date-missing": "未填写“{label}”，请补充填表日期（如2023年1月5日）",
    "date-invalid": "“{label}”中的“{value}”不是有效日期，请按“2023年1月5日”的格式填写",
    "no-data-rows": "表格未填写：{label}《{title}》中没有任何事项，请填写后重新发送；如确无相关事项，请在第一行填写“无”并说明",
    "plan-empty": "实施方案内容为空或过短（不足{min_chars}字），请发送完整的实施方案",
    "contact-missing-field": "未找到联络人信息中的“{column}”，请按“联络人：张三 职务：科长 电话：13912345678”的格式补充",
    "contact-phone-invalid": "联络人电话“{value}”不像有效的座机或手机号码，请填写带区号的座机号码（如010-12345678）或手机号码（如13912345678）",
    # Row by row (the rule kinds' defaults: parsers.forms.rules.context.KIND_CODES)
    "formula-no-value": "第{row}行“{column}”是公式“{value}”但没有计算结果，请在 Excel 或 WPS 中打开并保存后重新发送，或直接填写数值",
    "seq-gap": "第{row}行序号为{value}，与上一行不连续（应为{expected}），请核对是否漏填或重复",
    "missing-value": "第{row}行“{column}”未填写，{because}请补充填写",
    "not-single-tick": "第{row}行“{label}”应在“{options}”中选择一项划“√”（现为{count}项）",
    "value-not-allowed": "第{row}行“{column}”填写为“{value}”，请在“{options}”中选择一项填写",
    "not-a-number": "第{row}行“{column}”填写为“{value}”，应填写数字{sentinels}",
    "not-a-duration": "第{row}行“{column}”填写为“{value}”，应写明天数，如“20个工作日”“20天”或“即办”",
    "compare-failed": "第{row}行“{column}”（{value}）应{op_text}“{other}”（{other_value}），请核对",
    "difference-mismatch": "第{row}行“{column}”填写为“{value}”，但“{minuend}”减“{subtrahend}”为{expected}，请核对",
    "pattern-mismatch": "第{row}行“{column}”填写为“{value}”，格式不符合要求，请核对",
    "set-inconsistent": "第{row}行“{column}”列出{count}项，但“{minuend}”比“{subtrahend}”少{expected}项，请核对",
    "no-group-filled": "第{row}行在“{options}”中一项也未填写，请至少选择一项填写",
    "group-incomplete": "第{row}行已填写“{group}”部分内容，但“{column}”未填写，请补充完整",
    "value-not-in-list": "第{row}行“{column}”填写为“{value}”，不在下拉列表的选项中，请从“{options}”中选择一项填写",
    "too-few-rows": "{label}《{title}》应填写{bounds}，现只填写了{count}行，请补充后重新发送",
    "too-many-rows": "{label}《{title}》应填写{bounds}，现填写了{count}行，请按通知要求核减后重新发送",
    "wrong-file-type": "{label}《{title}》应以{expected}报送，收到的是{actual}；请使用通知所附的{expected}填写后重新发送",
    "phone-no-area-code": "电话“{value}”是不带区号的座机号码，请写明区号，如0482-8267388，或填写手机号码",
    # The file
    "no-form-found": "附件“{file}”中没有找到通知要求报送的材料（{expected}）；请使用通知所附表格的格式（表头与通知一致）后重新发送",
    "stamped-copy": "已收到盖章扫描件“{file}”，作为盖章件留存（内容以可编辑表格为准）",
    "unsupported-format": "附件“{file}”是{format_name}格式，系统无法读取，请另存为.xlsx/.docx后重新发送",
    "empty-file": "文件为空（0 字节），请检查附件后重新发送",
    "executable": "该文件是可执行程序，不是报送表格，系统不予处理；请发送 .xlsx/.docx 格式的表格",
    "corrupt-file": "文件已损坏或不完整，无法打开，请重新保存后再发送",
    "encrypted-file": "该文件设有打开密码，系统无法读取，请去除密码后重新发送",
    "file-too-large": "附件过大，系统拒绝读取；请删除多余内容后重新发送",
    "hostile-file": "文件内部结构异常，系统拒绝读取；请在 Excel 或 WPS 中打开并另存后重新发送",
    "sheet-too-large": "表格行数或单元格过多，请删除多余的行列后重新发送",
    "sheet-too-complex": "工作表中合并单元格过多，请取消不必要的合并后重新发送",
    "unreadable-file": "文件无法读取，请另存为 .xlsx/.docx 后重新发送",
    "unknown-rule": "活动配置中使用了未知的规则类型“{kind}”",
    # The message and its parts
    "unreadable-message": "邮件结构异常，系统无法解析",
    "attachment-too-large": "附件“{file}”过大，系统未下载。请压缩或拆分后以常规附件重新发送。",
    "zip-unreadable": "压缩包“{file}”已损坏或不是 zip 格式，请直接以附件形式发送表格。",
    "zip-too-many-entries": "压缩包“{file}”内有{count}个文件，超过{limit}个，请只发送需要报送的表格。",
    "zip-too-large": "压缩包“{file}”解压后超过{limit}MB，请只发送需要报送的表格。",
    "zip-encrypted": "压缩包“{file}”设有密码，系统无法打开，请发送未加密的表格。",
    "zip-suspicious": "压缩包“{file}”的压缩比异常，系统不予解压，请直接以附件形式发送表格。",
    "zip-nested": "压缩包“{outer}”中的“{file}”也是压缩包，系统不再解压，请直接发送其中的表格。",
}
