"""The campaign file's [classified] (the 涉密 gate's terms) and [reminders] (催报 schedule) sections."""

from __future__ import annotations

from routing.model.campaign_schema import REQUIRED, Key, add_section

add_section(
    "classified", "涉密标识检查：命中即拒收、不保存任何内容、告知光盘报送；各键不写则用默认值。",
    Key("levels", "文本列表", "密级（后跟★即为标志；单独成行也算）。", ["绝密", "机密", "秘密"]),
    Key("label_terms", "文本列表", "作标签使用的词（【涉密】、涉密：开头、涉密件）。", ["涉密"]),
    Key("label_suffixes", "文本列表", "跟在标签词后仍算标签的字（涉密件、涉密文件）。", ["件", "文件"]),
    Key("stars", "文本列表", "级别后的星号。", ["★", "☆", "*", "✱", "✩", "⭐"]),
    Key("field_names", "文本列表", "“密级：秘密”式字段的字段名。", ["密级"]),
    Key("urgency", "文本列表", "与密级同一行出现的紧急程度。", ["特急", "加急", "特提", "平急"]),
    Key("harmless", "文本列表", "含有级别或“涉密”但只是普通用语的词（如 商业秘密、如内容涉密），从不视为标志。",
        ["商业秘密", "工作秘密", "…"]),
    Key("patterns", "文本列表", "运维追加的正则表达式，命中即视为标志（如 '内部★'）。", []),
    Key("header_names", "文本列表", "需要检查的邮件头名称。", []),
    Key("body_head_lines", "整数", "正文开头检查几行（非空行）。", 5),
    Key("document_head_lines", "整数", "Word 文档开头检查几段。", 8),
    Key("sheet_title_rows", "整数", "工作表开头检查几行。", 3),
    Key("max_text_chars", "整数", "正文最多检查的字符数；超出的整封邮件转待人工确认。", 1000000),
    Key("max_part_bytes", "整数", "每个部件最多解压检查的字节数。", 16000000),
    Key("max_inflate_bytes", "整数", "为读取页眉页脚最多解压的字节数。", 64000000),
    Key("tail_bytes", "整数", "文件末尾另读的字节数。", 65536),
    Key("max_parts", "整数", "每类部件最多检查几个。", 64),
    Key("max_entries", "整数", "压缩包最多成员数。", 5000),
    Key("quarantine_folder", "文本", "仅作说明：隔离文件夹以运行设置文件中的 quarantine_folder 为准。", "涉密隔离"),
    example='[classified]\nharmless = ["商业秘密", "如内容涉密"]',
)

add_section(
    "reminders", "催报与每日汇总；催报只在法定工作日、发送时段内发出（北京时间）。",
    Key("send_window", "文本列表", "发送时段 [开始, 结束]，如 [\"08:30\", \"17:30\"]。", ["08:30", "17:30"]),
    Key("grace_hours", "数字", "服务中断后，错过的催报在几小时内（同一工作日）补发。", 8),
    Key("digest_at", "时刻", "每个工作日向各办公室联络人发送汇总的时刻。", "17:00"),
    Key("inbox_alert_after_minutes", "数字", "收件邮箱连续失败超过几分钟提醒联络人。", 30),
    Key("intake_every_seconds", "整数", "收件间隔（秒）。", 90),
    Key("outbox_every_seconds", "整数", "发件间隔（秒）。", 30),
    Key("reminders_every_seconds", "整数", "检查到期催报的间隔（秒）。", 60),
    Key("deadlines", "映射", "各截止时间的催报时点，键为截止时间键名。", {}),
    example='[reminders]\nsend_window = ["08:30", "17:30"]\ndigest_at = "16:30"',
)

add_section(
    "reminders.deadlines.*", "一个截止时间的催报时点。",
    Key("before", "表列表", "截止前第几个工作日催报：[{ working_days = 3, at = \"09:00\" }]。", []),
    Key("on_day", "时刻", "截止当日催报的时刻（截止日非工作日时提前到此前最后一个工作日）。", None),
    Key("after", "表", "逾期后催报：{ every_working_days = 1, at = \"09:30\", max = 5 }。", None),
    example='[reminders.deadlines.plan]\nbefore = [{ working_days = 3, at = "09:00" }]\non_day = "09:00"',
)

add_section(
    "reminders.deadlines.*.before[]", "截止前的一次催报。",
    Key("working_days", "整数", "截止前第几个工作日。", REQUIRED),
    Key("at", "时刻", "时刻。", "09:00"),
)

add_section(
    "reminders.deadlines.*.after", "逾期后的催报。",
    Key("every_working_days", "整数", "每隔几个工作日一次。", 1),
    Key("at", "时刻", "时刻。", "09:30"),
    Key("max", "整数", "最多几次。", 5),
)
