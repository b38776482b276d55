"""Check what a form of the campaign file says of itself: its columns, groups, deadline, patterns and conditions."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from routing.model.campaign_fault import Fault, suggest
from routing.model.campaign_schema_rules import CONDITION_KEYS, RULES

NAMED_PATTERNS = ("phone", "phone-strict", "document-title", "document-number-or-clause")


def check_refs(data: Mapping[str, Any]) -> list[Fault]:
    """Faults in references: rules and metrics naming unknown columns, routes to unknown offices, bad patterns."""
    faults: list[Fault] = []
    forms: dict = {}
    for i, form in enumerate(list_of(data.get("returns"))):
        if isinstance(form, Mapping) and form.get("kind") in forms:
            faults.append(Fault(("returns", i, "kind"), f"材料“{form['kind']}”重复定义（kind 应各不相同）"))
        elif isinstance(form, Mapping):
            forms[form.get("kind")] = (i, form)
    for i, form in forms.values():
        _form(form, ("returns", i), data, faults)
    for j, rx in enumerate(list_of(table_of(data.get("classified")).get("patterns"))):
        _regex(rx, ("classified", "patterns", j), faults)
    return faults


def list_of(value: Any) -> list:
    return value if isinstance(value, list) else []


def table_of(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class Columns:
    """A form's column names and groups, and how to report a reference to one that is not there."""

    def __init__(self, form: Mapping[str, Any]) -> None:
        cols = [c if isinstance(c, Mapping) else {"name": c} for c in list_of(form.get("columns"))]
        self.names = [str(c.get("name")) for c in cols]
        self.groups = [str(c["group"]) for c in cols if c.get("group")]
        self.aliases = {str(a): str(c.get("name")) for c in cols for a in list_of(c.get("aliases"))}
        self.kind = form.get("kind")

    def check(self, value: Any, path: tuple, faults: list[Fault], group: bool = False) -> None:
        known = self.groups if group else self.names
        for j, name in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(name, str) and name not in known:
                where = path + (j,) if isinstance(value, list) else path
                hint = f"，该词是列“{self.aliases[name]}”的别名，规则中请写列名" if name in self.aliases else suggest(name, known)
                what = "列组（group）" if group else "列"
                faults.append(Fault(where, f"材料“{self.kind}”没有名为“{name}”的{what}{hint}"))


def _form(form: Mapping[str, Any], path: tuple, data: Mapping[str, Any], faults: list[Fault]) -> None:
    deadlines = table_of(data.get("deadlines"))
    if "deadline" in form and form["deadline"] not in deadlines:
        faults.append(Fault(path + ("deadline",), f"引用了不存在的截止时间“{form['deadline']}”{suggest(form['deadline'], deadlines)}"))
    columns = Columns(form)
    if form.get("layout") == "table" and not columns.names:
        faults.append(Fault(path + ("columns",), f"表格材料“{form.get('kind')}”没有列出 columns"))
    repeated = sorted({n for n in columns.names if columns.names.count(n) > 1})
    if repeated:
        faults.append(Fault(path + ("columns",), f"材料“{form.get('kind')}”的列名“{'、'.join(repeated)}”重复"))
    if "optional_columns" in form:
        columns.check(form["optional_columns"], path + ("optional_columns",), faults)
    low, high = form.get("min_rows", 0), form.get("max_rows", 0)
    if isinstance(low, int) and isinstance(high, int) and 0 < high < low:
        faults.append(Fault(path + ("max_rows",), f"max_rows（{high}）小于 min_rows（{low}）"))
    for j, column in enumerate(list_of(form.get("columns"))):
        if isinstance(column, Mapping) and isinstance(column.get("choices"), list):
            _choices(column["choices"], path + ("columns", j, "choices"), faults)
    for j, field in enumerate(list_of(form.get("fields"))):
        if isinstance(field, Mapping) and isinstance(field.get("pattern"), str):
            _pattern(field["pattern"], path + ("fields", j, "pattern"), faults)
    for j, rule in enumerate(list_of(form.get("rules"))):
        if isinstance(rule, Mapping) and rule.get("kind") in RULES:
            _rule(rule, path + ("rules", j), columns, faults)


def _choices(choices: list, path: tuple, faults: list[Fault]) -> None:
    # Excel keeps a drop-down list as one comma-separated text of at most 255 characters.
    if any("," in str(c) for c in choices):
        faults.append(Fault(path, "下拉列表的选项中不能有半角逗号（Excel 以逗号分隔选项），请改用全角逗号或顿号"))
    elif len(",".join(map(str, choices))) > 255:
        faults.append(Fault(path, "下拉列表的选项合计超过 255 个字符（Excel 的上限），请精简选项"))


def _rule(rule: Mapping[str, Any], path: tuple, columns: Columns, faults: list[Fault]) -> None:
    for param in RULES[rule["kind"]].params:
        value = rule.get(param.name)
        if value is None:
            continue
        if param.type in ("列名", "列名列表", "列组列表"):
            columns.check(value, path + (param.name,), faults, group=param.type == "列组列表")
        elif param.type == "条件":
            condition(value, path + (param.name,), columns, faults)
    for j, rx in enumerate(list_of(rule.get("all")) or [rule.get("pattern")]):
        if isinstance(rx, str):
            _pattern(rx, path + (("all", j) if "all" in rule else ("pattern",)), faults)


def condition(cond: Any, path: tuple, columns: Columns, faults: list[Fault]) -> None:
    if not isinstance(cond, Mapping):
        faults.append(Fault(path, "条件应为内联表，如 { column = \"备注\", matches = '下放' }"))
        return
    if not {"any", "all", "not", "column", "columns"} & set(cond):
        faults.append(Fault(path, "条件须给出判断的列（column 或 columns），或用 any、all、not 组合若干条件"))
    for name, value in cond.items():
        if name not in CONDITION_KEYS:
            faults.append(Fault(path + (name,), f"条件中未知的键“{name}”{suggest(name, CONDITION_KEYS)}"))
        elif name in ("any", "all"):
            for j, sub in enumerate(list_of(value)):
                condition(sub, path + (name, j), columns, faults)
        elif name == "not":
            condition(value, path + (name,), columns, faults)
        elif name in ("column", "columns"):
            columns.check(value, path + (name,), faults)
        elif name == "matches":
            _regex(value, path + (name,), faults)


def _pattern(text: str, path: tuple, faults: list[Fault]) -> None:
    if text not in NAMED_PATTERNS:
        _regex(text, path, faults)


def _regex(text: Any, path: tuple, faults: list[Fault]) -> None:
    try:
        re.compile(str(text))
    except re.error as exc:
        faults.append(Fault(path, f"正则表达式“{text}”有误（{exc}）；TOML 中请用单引号书写正则表达式"))
