"""Check a parsed campaign file against the schema: unknown keys and kinds, missing keys, wrong types and values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routing.model.campaign_fault import Fault, suggest
from routing.model.campaign_links import check_links
from routing.model.campaign_refs import check_refs
from routing.model.campaign_schema import TYPES, Key, Section, load_extensions, type_ok
from routing.model.campaign_schema_rules import COMMON, RULES

RULES_PATH = "returns[].rules[]"


def check_data(data: Mapping[str, Any]) -> list[Fault]:
    """Every fault of the parsed file, structure first, then references between its parts."""
    faults: list[Fault] = []
    _walk(data, load_extensions()[""], (), faults)
    return faults + check_refs(data) + check_links(data)


def _walk(table: Mapping[str, Any], section: Section, path: tuple, faults: list[Fault]) -> None:
    for name, value in table.items():
        key = section.keys.get(name) or section.any_key
        if key is None:
            faults.append(Fault(path + (name,), f"未知的键“{name}”{suggest(name, section.keys)}"))
        elif _value_ok(key, value, path + (name,), faults):
            _descend(section, key, name, value, path + (name,), faults)
    missing = [k for k in section.keys.values() if k.required and k.name not in table]
    faults.extend(Fault(path + (k.name,), f"缺少必需的键“{k.name}”（{k.doc.rstrip('。')}）") for k in missing)


def _value_ok(key: Key, value: Any, path: tuple, faults: list[Fault]) -> bool:
    if not type_ok(key, value):
        faults.append(Fault(path, f"值 {value!r} 不是{key.type}（应为{TYPES.get(key.type, key.type)}）"))
        return False
    if key.choices and value not in key.choices:
        faults.append(Fault(path, f"取值“{value}”不在可选值 {'、'.join(map(str, key.choices))} 之中{suggest(value, key.choices)}"))
        return False
    return True


def _descend(section: Section, key: Key, name: str, value: Any, path: tuple, faults: list[Fault]) -> None:
    sections = load_extensions()
    child = f"{section.path}.{name}" if section.path else name
    if key.type == "表" and child in sections:
        _walk(value, sections[child], path, faults)
    elif key.type == "映射" and f"{child}.*" in sections:
        if value and all(isinstance(v, str) for v in value.values()):  # flat [routing]: no unit categories
            _walk(value, sections[f"{child}.*"], path, faults)
            return
        for sub, table in value.items():
            _walk(table, sections[f"{child}.*"], path + (sub,), faults)
    elif key.type in ("表列表", "列定义列表") and f"{child}[]" in sections:
        for i, item in enumerate(value):
            if f"{child}[]" == RULES_PATH:
                _rule(item, path + (i,), faults)
            elif isinstance(item, Mapping):
                _walk(item, sections[f"{child}[]"], path + (i,), faults)


def _rule(rule: Mapping[str, Any], path: tuple, faults: list[Fault]) -> None:
    kind = rule.get("kind")
    if not isinstance(kind, str):
        faults.append(Fault(path + ("kind",), f"规则缺少 kind（可用的规则类型：{'、'.join(RULES)}）"))
        return
    spec = RULES.get(kind)
    if spec is None:
        faults.append(Fault(path + ("kind",), f"未知的规则类型“{kind}”{suggest(kind, RULES)}（可用：{'、'.join(RULES)}）"))
        return
    own = Section(RULES_PATH, "", {**COMMON.keys, **{p.name: p for p in spec.params}})
    _walk(rule, own, path, faults)
    if spec.one_of and not any(k in rule for k in spec.one_of):
        faults.append(Fault(path, f"规则“{kind}”须给出 {' 或 '.join(spec.one_of)} 之一"))
