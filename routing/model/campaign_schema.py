"""The campaign file's format as data: every section and key, its type, default and Chinese description.

The checker (routing.model.campaign_check) and the reference (docs/campaign-format.md) are both made from this table,
so a key added here is accepted, checked and documented at once. Other modules add keys with add_keys/add_section.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any

REQUIRED = object()  # the default of a key that must be given

# Type names as the reference prints them. Sub-tables: "表" (one table), "表列表" ([[x]] or [ {..}, {..} ]),
# "映射" (tables under keys the file chooses: [offices.KEY]), "键值" (keys the file chooses, each a 文本).
TYPES = {
    "文本": "字符串，如 \"盟委编办\"",
    "整数": "整数，如 5",
    "数字": "整数或小数，如 1.5",
    "布尔": "true 或 false",
    "日期": "日期，不加引号，如 2023-01-04",
    "时刻": "字符串 \"HH:MM\"，如 \"09:00\"",
    "文本列表": "字符串数组，如 [\"无\", \"/\"]",
    "正则表达式": "字符串（Python 正则表达式，建议用单引号书写，见“TOML 易错点”）",
    "列名": "本材料 columns 中某一列的 name",
    "列名列表": "本材料 columns 中若干列的 name 组成的数组",
    "列组列表": "本材料 columns 中若干 group 组成的数组",
    "条件": "对一行数据的判断，见“条件的写法”",
    "表": "子表",
    "表列表": "子表数组",
    "映射": "由配置自取键名的若干子表",
    "键值": "由配置自取键名、值为字符串的表",
    "列定义列表": "数组，每项是列名字符串，或带 name 等键的内联表",
    "文本对列表": "数组，每项是两个字符串组成的数组，如 [[\"兴安盟\", \"盟\"]]",
}


@dataclass(frozen=True)
class Key:
    """One key of a section: its name, type (a TYPES name), description, default and allowed values."""

    name: str
    type: str
    doc: str
    default: Any = None
    choices: tuple = ()
    example: str = ""

    @property
    def required(self) -> bool:
        """Whether the file must give this key."""
        return self.default is REQUIRED


@dataclass
class Section:
    """A table of the file (or each element of an array of tables), found by its path pattern."""

    path: str
    doc: str
    keys: dict[str, Key] = field(default_factory=dict)
    example: str = ""
    any_key: Key | None = None  # a section whose key names the file chooses (routing: material → office)


SECTIONS: dict[str, Section] = {}
# Modules that add keys of their own (imported by load_extensions, before any check or reference).
EXTENSIONS: tuple[str, ...] = ("routing.model.campaign_schema_top", "routing.model.campaign_schema_forms", "routing.model.campaign_schema_rules",
                               "routing.model.campaign_schema_more", "routing.model.campaign_schema_texts")


def add_section(path: str, doc: str, *keys: Key, example: str = "", any_key: Key | None = None) -> Section:
    """Declare a section (path patterns: "campaign", "offices.*", "returns[]", "returns[].columns[]")."""
    section = SECTIONS.setdefault(path, Section(path, doc, example=example, any_key=any_key))
    add_keys(path, *keys)
    return section


def add_keys(path: str, *keys: Key) -> None:
    """Add keys to a declared section."""
    for key in keys:
        SECTIONS[path].keys[key.name] = key


def load_extensions() -> dict[str, Section]:
    """Every section, with the keys all extension modules add."""
    for name in EXTENSIONS:
        importlib.import_module(name)
    return SECTIONS


def type_ok(key: Key, value: Any) -> bool:
    """Whether a value has the key's declared type (column and pattern contents are checked elsewhere)."""
    check = _CHECKS.get(key.type)
    return check(value) if check else True


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _time(value: Any) -> bool:
    if isinstance(value, dt.time):
        return True
    try:
        dt.time.fromisoformat(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


_CHECKS = {
    "文本": lambda v: isinstance(v, str),
    "整数": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "数字": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "布尔": lambda v: isinstance(v, bool),
    "日期": lambda v: isinstance(v, dt.date),
    "时刻": _time,
    "文本列表": _texts,
    "正则表达式": lambda v: isinstance(v, str),
    "列名": lambda v: isinstance(v, str),
    "列名列表": _texts,
    "列组列表": _texts,
    "条件": lambda v: isinstance(v, dict),
    "表": lambda v: isinstance(v, dict),
    "表列表": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    # A mapping of tables; [routing] may also be flat (material = office) when the notice has no unit categories.
    "映射": lambda v: isinstance(v, dict) and (all(isinstance(x, dict) for x in v.values()) or all(isinstance(x, str) for x in v.values())),
    "键值": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "列定义列表": lambda v: isinstance(v, list) and all(isinstance(x, (str, dict)) for x in v),
    "文本对列表": lambda v: isinstance(v, list) and all(isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x) for x in v),
}
