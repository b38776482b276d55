"""The campaign file's top level: [campaign], [offices.*], [routing.*], [deadlines.*] and [ticks]."""

from __future__ import annotations

from routing.model.campaign_schema import REQUIRED, Key, add_section

add_section(
    "", "活动配置文件的顶层：各部分均为 TOML 表。",
    Key("campaign", "表", "活动（通知）本身：名称、文号、标题、回执编号格式。", REQUIRED),
    Key("offices", "映射", "接收报送的办公室，每个办公室一个 [offices.键名]。", REQUIRED),
    Key("routing", "映射", "各类单位的各项材料报哪个办公室，每类单位一个 [routing.\"类别\"]。", REQUIRED),
    Key("deadlines", "映射", "截止时间，每个一个 [deadlines.键名]；材料以 deadline 引用。", REQUIRED),
    Key("returns", "表列表", "需报送的材料，每项一个 [[returns]]，按通知的顺序书写。", REQUIRED),
    Key("metrics", "表列表", "按报表统计的成果数（如“四项成果”），每项一个 [[metrics]]。", []),
    Key("ticks", "表", "表格中视为“划√”的符号。", {}),
    Key("classified", "表", "涉密标识检查（拒收并告知光盘报送）的用语和范围。", {}),
    Key("reminders", "表", "催报时点、发送时段和每日汇总。", {}),
)

add_section(
    "campaign", "活动（通知）本身。",
    Key("id", "文本", "活动的标识，字母、数字和连字符，如 \"liangyou-2022\"。", "campaign"),
    Key("name", "文本", "活动的简称，用于邮件和台账，如 \"“两优”专项行动\"。", ""),
    Key("notice", "文本", "通知文号，如 \"兴党办发电〔2022〕18号\"。", ""),
    Key("title", "文本", "通知标题。", ""),
    Key("issuers", "文本列表", "发文单位。", []),
    Key("issued", "日期", "发文日期。", None),
    Key("timezone", "文本", "时区；截止时间按该时区当日结束计算。", "Asia/Shanghai"),
    Key("receipt_format", "文本", "回执编号格式，可用占位符 {office_short}、{office}、{year}、{seq}（如 {seq:04d}）。",
        "{office_short}〔{year}〕收字第{seq:04d}号"),
    Key("classified_rule", "文本", "涉密材料的报送要求，写入拒收回复，如 \"如内容涉密，不要发邮箱，请使用光盘报送。\"", ""),
    example='[campaign]\nid = "liangyou-2022"\nname = "“两优”专项行动"\nnotice = "兴党办发电〔2022〕18号"',
)

add_section(
    "offices.*", "一个接收报送的办公室；键名（如 bianban）供 routing 引用。",
    Key("name", "文本", "办公室名称，如 \"盟委编办\"。", "（键名）"),
    Key("short", "文本", "简称，用于回执编号，如 \"编办\"。", "（name）"),
    Key("full_name", "文本", "全称。", "（name）"),
    Key("inboxes", "文本列表", "收件邮箱；第一个是告诉各单位的地址，其余（如通知中的笔误地址）也视为本办公室的。", REQUIRED),
    Key("contact", "文本", "联系人。", ""),
    Key("phone", "文本", "联系电话。", ""),
    Key("paper_address", "文本", "纸质版报送地址。", ""),
    example='[offices.bianban]\nname = "盟委编办"\nshort = "编办"\ninboxes = ["794605082@qq.com"]',
)

add_section(
    "routing.*", "一类单位（名册中的“类别”）各项材料报送的办公室：键为材料的 kind，值为办公室键名。",
    any_key=Key("（材料 kind）", "文本", "办公室键名（[offices.键名] 中的键名）。"),
    example='[routing."党群"]\nplan = "bianban"\nattachment1 = "bianban"',
)

add_section(
    "deadlines.*", "一个截止时间；当日 24 时截止（按 timezone）。",
    Key("date", "日期", "截止日期，不加引号，如 2023-01-04。", REQUIRED),
    Key("label", "文本", "截止时间的名称，用于催报和台账，如 \"实施方案和联络人\"。", "（键名）"),
    Key("source", "文本", "通知中规定该截止时间的原文。", ""),
    example='[deadlines.plan]\nlabel = "实施方案和联络人"\ndate = 2023-01-04',
)

add_section(
    "ticks", "表格中视为“划√”的符号（用于 role = \"tick\" 的列和 exactly-one-ticked 规则）。",
    Key("marks", "文本列表", "视为已划√的符号。", ["√"]),
    example='[ticks]\nmarks = ["√", "✓", "是"]',
)
