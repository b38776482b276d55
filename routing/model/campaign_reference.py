"""The campaign format reference (docs/campaign-format.md), rendered from the schema the loader checks against."""

from __future__ import annotations

import json

from routing.model.campaign_reference_text import INTRO, NAMED_PATTERNS, PITFALLS, PLACEHOLDERS
from routing.model.campaign_schema import REQUIRED, TYPES, Key, Section, load_extensions
from routing.model.campaign_schema_rules import COMMON, CONDITION_KEYS, RULES, RuleKind

OUTPUT = "docs/campaign-format.md"


def render() -> str:
    """The whole reference as Markdown."""
    sections = load_extensions()
    parts = [INTRO, _types()]
    parts += [_section(s) for path, s in sections.items() if path != "returns[].rules[]"]
    parts += [_rules(), _messages(), _conditions(), NAMED_PATTERNS, PITFALLS]
    return "\n".join(parts).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(key: Key) -> str:
    if key.default is REQUIRED:
        return "**必填**"
    if key.default is None or key.default == "" or key.default == [] or key.default == {}:
        return "—"
    if isinstance(key.default, str) and key.default.startswith("（"):
        return key.default
    return f"`{_cell(json.dumps(key.default, ensure_ascii=False))}`"


def _table(keys: list[Key]) -> str:
    lines = ["| 键 | 类型 | 默认值 | 说明 |", "|---|---|---|---|"]
    for key in keys:
        choices = f"可选：{'、'.join(f'`{c}`' for c in key.choices)}。" if key.choices else ""
        lines.append(f"| `{key.name}` | {key.type} | {_default(key)} | {_cell(key.doc)}{choices} |")
    return "\n".join(lines)


def _title(path: str) -> str:
    if not path:
        return "顶层"
    if path.endswith("[]") and "." in path:
        parent, name = path[:-2].rsplit(".", 1)
        return f"{_title(parent).split('（')[0]} 的 {name}（数组中的每一项）"
    if path.endswith("[]"):
        return f"[[{path[:-2]}]]（每一项）"
    return f"[{path}]"


def _section(section: Section) -> str:
    parts = [f"## {_title(section.path)}\n", section.doc + "\n"]
    keys = list(section.keys.values()) or ([section.any_key] if section.any_key else [])
    parts.append(_table(keys) + "\n")
    if section.example:
        parts.append(_code(section.example))
    return "\n".join(parts)


def _code(text: str) -> str:
    return f"示例：\n\n```toml\n{text}\n```\n"


def _types() -> str:
    rows = "\n".join(f"| {name} | {_cell(doc)} |" for name, doc in TYPES.items())
    return f"## 值的类型\n\n| 类型 | 写法 |\n|---|---|\n{rows}\n"


def _rules() -> str:
    parts = ["## 规则类型（[[returns]] 的 rules）\n", COMMON.doc + "各类型共用的键：\n", _table(list(COMMON.keys.values())) + "\n"]
    parts += [_rule(spec) for spec in RULES.values()]
    return "\n".join(parts)


def _rule(spec: RuleKind) -> str:
    need = f"须给出 {' 或 '.join(f'`{k}`' for k in spec.one_of)} 之一。" if spec.one_of else ""
    marks = "、".join(f"`{{{p}}}`" for p in spec.placeholders)
    return "\n".join([f"### `{spec.kind}`\n", spec.doc + need + "\n", _table(list(spec.params)) + "\n",
                      f"消息占位符：{marks}，以及本规则中其他字符串参数（如 `{{label}}`）。\n", _code(f"rules = [\n  {spec.example},\n]")])


def _messages() -> str:
    from parsers.forms.rules.context import KIND_CODES
    from parsers.problem_texts import DEFAULTS

    lines = [PLACEHOLDERS, "| 规则类型 | 默认问题代码 | 默认说法 |", "|---|---|---|"]
    lines += [f"| `{k}` | `{KIND_CODES.get(k, k)}` | {_cell(DEFAULTS.get(KIND_CODES.get(k, k), ''))} |" for k in RULES]
    return "\n".join(lines) + "\n"


def _conditions() -> str:
    rows = "\n".join(f"| `{k}` | {v} |" for k, v in CONDITION_KEYS.items())
    example = 'when = { any = [ { column = "承接主体", filled = true }, { columns = ["事项名称", "备注"], matches = \'下放|委托\' } ] }'
    return f"## 条件的写法\n\n规则 required-if 的 `when` 和成果统计的 `where` 是对一行数据的判断：\n\n| 键 | 含义 |\n|---|---|\n{rows}\n\n{_code(example)}"

