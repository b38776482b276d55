"""A first campaign.toml written from a few answers and the notice's blank forms (text out, no I/O)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from parsers.blanks.forms import DraftColumn, DraftForm

HEAD = """# {name}{notice}
# 由 mailbot campaign new 生成的草稿：请对照通知逐项核对（标题、列名、截止时间、报送去向、检查规则），
# 再运行 mailbot campaign check 检查。各键的写法见 docs/campaign-format.md。
"""


@dataclass
class Answers:
    """What the questionnaire (or the command line) told us about the notice."""

    name: str
    office_name: str
    office_email: str
    deadline: dt.date
    id: str = "campaign"
    notice: str = ""
    title: str = ""
    office_short: str = ""
    categories: tuple[str, ...] = ("各单位",)
    plan: bool = False
    contact: bool = False
    forms: list[DraftForm] = field(default_factory=list)


def q(value: object) -> str:
    """A TOML value: strings as basic strings (JSON's escapes are TOML's), lists of them, dates bare."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(q(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(str(value), ensure_ascii=False)


def render_draft(a: Answers) -> str:
    """The whole campaign.toml draft."""
    kinds = form_kinds(a.forms)
    all_kinds = (["plan"] if a.plan else []) + (["contact"] if a.contact else []) + kinds
    parts = [HEAD.format(name=a.name, notice=f"（{a.notice}）" if a.notice else ""), _campaign(a), _office(a)]
    parts += [f"[routing.{q(cat)}]\n" + "".join(f"{k} = \"office\"\n" for k in all_kinds) for cat in a.categories]
    parts.append(f"[deadlines.main]\nlabel = \"报送截止\"\ndate = {q(a.deadline)}\n")
    parts += [_PLAN] if a.plan else []
    parts += [_CONTACT] if a.contact else []
    parts += [_form(kind, form) for kind, form in zip(kinds, a.forms)]
    parts.append(_REMINDERS)
    return "\n".join(parts)


def form_kinds(forms: list[DraftForm]) -> list[str]:
    """attachmentN for a form labelled 附件N (or 附表N), else formN; never twice the same."""
    kinds: list[str] = []
    for n, form in enumerate(forms, start=1):
        digits = re.search(r"\d+", form.label)
        kind = f"attachment{digits.group()}" if digits else f"form{n}"
        kinds.append(kind if kind not in kinds else f"{kind}_{n}")
    return kinds


def _campaign(a: Answers) -> str:
    lines = ["[campaign]", f"id = {q(a.id)}", f"name = {q(a.name)}", f"notice = {q(a.notice)}", f"title = {q(a.title)}",
             'timezone = "Asia/Shanghai"', 'receipt_format = "{office_short}〔{year}〕收字第{seq:04d}号"',
             'classified_rule = "如内容涉密，不要发邮箱，请使用光盘报送。"']
    return "\n".join(lines) + "\n"


def _office(a: Answers) -> str:
    return (f"[offices.office]\nname = {q(a.office_name)}\nshort = {q(a.office_short or a.office_name)}\n"
            f"inboxes = {q([a.office_email])}\n")


def _form(kind: str, form: DraftForm) -> str:
    ticks = _tick_groups(form)
    lines = ["[[returns]]", f"kind = {q(kind)}", f"label = {q(form.label or kind)}", f"title = {q(form.title or form.label or kind)}",
             'deadline = "main"', 'layout = "table"']
    lines += [f"unit_label = {q(form.unit_label)}"] if form.unit_label else []
    lines += [f"date_label = {q(form.date_label)}"] if form.date_label else []
    lines += ["columns = ["] + [f"  {_column(c, ticks)}," for c in form.columns] + ["]"]
    lines += ['optional_columns = ["备注"]'] if any(c.name == "备注" for c in form.columns) else []
    if form.footnotes:
        lines += ["footnotes = ["] + [f"  {q(n)}," for n in form.footnotes] + ["]"]
    lines += ["# 检查规则：按通知的要求增补，见 docs/campaign-format.md 的“规则类型”。", "rules = ["] + _rules(form, ticks) + ["]"]
    return "\n".join(lines) + "\n"


def _tick_groups(form: DraftForm) -> set[str]:
    # A footnote such as 在事项类别处选择符合项划“√” makes that group's columns tick boxes.
    groups = {c.group for c in form.columns if c.group}
    return {g for g in groups if any(g in note and "√" in note for note in form.footnotes)}


def _column(column: DraftColumn, ticks: set[str]) -> str:
    keys = [f"name = {q(column.name)}"]
    keys += [f"group = {q(column.group)}"] if column.group else []
    keys += ['role = "seq"'] if column.name == "序号" else ['role = "tick"'] if column.group in ticks else []
    keys += [f"choices = {q(list(column.choices))}"] if column.choices else []
    return "{ " + ", ".join(keys) + " }"


def _rules(form: DraftForm, ticks: set[str]) -> list[str]:
    plain = [c.name for c in form.columns if c.name not in ("序号", "备注") and c.group not in ticks]
    found = [f'  {{ kind = "required", columns = {q(plain[:1])} }},'] if plain else []
    for group in sorted(ticks):
        members = [c.name for c in form.columns if c.group == group]
        found.append(f'  {{ kind = "exactly-one-ticked", columns = {q(members)}, label = {q(group)} }},')
    return found


_PLAN = """[[returns]]
kind = "plan"
label = "实施方案"
title = "实施方案"
deadline = "main"
layout = "document"
keywords = ["实施方案", "工作方案"]
min_chars = 50
"""

_CONTACT = """[[returns]]
kind = "contact"
label = "联络人"
title = "联络人、职务、电话"
deadline = "main"
layout = "contact"
keywords = ["联络人", "联系人"]
fields = [
  { name = "联络人", role = "name", aliases = ["联系人", "联络员", "姓名"], required = true },
  { name = "职务", role = "position", aliases = ["职位"], required = true },
  { name = "电话", role = "phone", aliases = ["联系电话", "手机", "办公电话"], required = true, pattern = "phone" },
]
other_people = ["分管领导", "主要领导", "负责人"]
"""

_REMINDERS = """# 催报：截止前第 3 个工作日、截止当日、逾期后每个工作日（至多 5 次）；只在发送时段内、法定工作日发出。
[reminders]
send_window = ["08:30", "17:30"]
digest_at = "16:30"

[reminders.deadlines.main]
before = [{ working_days = 3, at = "09:00" }]
on_day = "09:00"
after = { every_working_days = 1, at = "09:30", max = 5 }
"""
