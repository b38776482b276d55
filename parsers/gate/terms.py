"""The 涉密 gate's vocabulary — levels, labels, harmless words, limits — read from [classified]."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# Characters a person does not see (Unicode's default-ignorable code points and format characters: zero
# width spaces and joiners, direction marks and overrides, BOM, soft hyphen, variation selectors, Hangul
# fillers, tags) would split 秘密★ into pieces that look whole on screen: they are dropped before matching.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# A token is "delimited" when no letter (CJK or Latin) touches it; digits and punctuation do not bind.
_NO_LETTER_BEFORE = r"(?<![^\W\d_])"
_NO_LETTER_AFTER = r"(?![^\W\d_])"
# Brackets after NFKC folding: （→(, ［→[, ＜→<; the CJK ones stay as they are.
_OPEN = r"[(\[【〔《<「『〖{]"
_CLOSE = r"[)\]】〕》>」』〗}]"


def normalize(text: str) -> str:
    """Fold width and compatibility forms (＊→*, （→(, 　→space, ：→:) and drop invisible characters."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _spaced(word: str) -> str:
    # 秘　密 (1999 edition) and 秘 密: any spacing between the characters of a level.
    return r"\s*".join(re.escape(ch) for ch in normalize(word) if not ch.isspace())


def _alt(words: tuple[str, ...], spaced: bool = True) -> str:
    parts = sorted({(_spaced(w) if spaced else re.escape(normalize(w))) for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(parts) + ")" if parts else "(?!)"


@dataclass(frozen=True)
class MarkingTerms:
    """All terms and limits of the gate; ``from_config`` reads the [classified] mapping."""

    levels: tuple[str, ...] = ("绝密", "机密", "秘密")
    label_terms: tuple[str, ...] = ("涉密",)
    label_suffixes: tuple[str, ...] = ("件", "文件")
    stars: tuple[str, ...] = ("★", "☆", "*", "✱", "✩", "⭐")
    field_names: tuple[str, ...] = ("密级",)
    urgency: tuple[str, ...] = ("特急", "加急", "特提", "平急")
    harmless: tuple[str, ...] = (
        "商业秘密", "工作秘密", "个人秘密", "涉密人员", "涉密信息系统", "涉密事项",
        "非涉密", "不涉密", "无涉密", "未涉密", "是否涉密", "机密性", "如内容涉密",
    )
    patterns: tuple[str, ...] = ()
    header_names: tuple[str, ...] = ()
    # The head: how far a label alone refuses a message. Past it a label-shaped line is held for a person.
    body_head_lines: int = 5
    document_head_lines: int = 8
    sheet_title_rows: int = 3
    # How much the gate reads at all; a body or part longer than this is held for a person.
    max_text_chars: int = 1_000_000
    max_part_bytes: int = 16_000_000
    max_inflate_bytes: int = 64_000_000
    tail_bytes: int = 65_536
    max_parts: int = 64
    max_entries: int = 5_000

    @classmethod
    def from_config(cls, mapping: Mapping[str, Any] | None) -> MarkingTerms:
        """Build the terms from campaign.classified; absent keys keep the defaults, unknown keys are ignored."""
        mapping = mapping or {}
        values = {}
        for f in dataclasses.fields(cls):
            if f.name in mapping:
                values[f.name] = _coerce(f.name, mapping[f.name], f.default)
        terms = cls(**values)
        terms.extra  # compile the operator's patterns now: a typo fails at start, not on a message
        return terms

    def prepare(self, text: str) -> str:
        """Normalized text with every harmless word blotted out (same length, so positions stay)."""
        return self.harmless_re.sub(lambda m: "〇" * len(m.group()), normalize(text))

    @cached_property
    def harmless_re(self) -> re.Pattern[str]:
        """Harmless words, longest first."""
        return re.compile(_alt(self.harmless, spaced=False))

    @cached_property
    def level(self) -> str:
        """One of the levels, any spacing inside."""
        return _alt(self.levels)

    @cached_property
    def token(self) -> str:
        """A level or a label term, with an optional suffix (涉密件, 秘密文件)."""
        return f"(?:{self.level}|{_alt(self.label_terms)}){_alt(self.label_suffixes, spaced=False)}?"

    @cached_property
    def star_re(self) -> re.Pattern[str]:
        """A level followed by ★ (秘密★1年, 机密★启用前, 绝密☆长期)."""
        return re.compile(rf"{self.level}\s*[{re.escape(''.join(self.stars))}]")

    @cached_property
    def field_re(self) -> re.Pattern[str]:
        """A 密级 field holding a level (密级：秘密, 密级 为机密)."""
        return re.compile(rf"{_alt(self.field_names)}\s*[:=]?\s*(?:为\s*)?{self.level}")

    @cached_property
    def level_line_re(self) -> re.Pattern[str]:
        """A level standing alone on its line, perhaps with the urgency next to it (秘　密 / 秘密 特急)."""
        urgency = _alt(self.urgency)
        return re.compile(rf"^\s*(?:{urgency}\s*)?{self.level}\s*(?:{urgency}\s*)?$")

    @cached_property
    def delimited_re(self) -> re.Pattern[str]:
        """A level or label term that no letter touches (涉密-附件2, 附件2(涉密), Fw: 秘密)."""
        return re.compile(_NO_LETTER_BEFORE + self.token + _NO_LETTER_AFTER)

    @cached_property
    def bracketed_re(self) -> re.Pattern[str]:
        """A level or label term inside brackets (【涉密】, [涉密], (机密))."""
        return re.compile(rf"{_OPEN}\s*{self.token}\s*{_CLOSE}")

    @cached_property
    def suffixed_re(self) -> re.Pattern[str]:
        """A label term with its suffix, which is always a label (涉密件, 涉密文件)."""
        return re.compile(_alt(self.label_terms) + _alt(self.label_suffixes, spaced=False))

    @cached_property
    def at_start_re(self) -> re.Pattern[str]:
        """A line that opens with a label, bracketed or followed by a non-letter (【涉密】…, 涉密：…)."""
        return re.compile(rf"^\s*(?:{_OPEN}\s*{self.token}\s*{_CLOSE}|{self.token}{_NO_LETTER_AFTER})")

    @cached_property
    def label_line_re(self) -> re.Pattern[str]:
        """Any line of a text that opens with a label or holds a level alone (at_start_re or level_line_re, per line)."""
        urgency, blank = _alt(self.urgency), r"[^\S\n]*"
        opens = rf"(?:{_OPEN}\s*{self.token}\s*{_CLOSE}|{self.token}{_NO_LETTER_AFTER})"
        alone = rf"(?:{urgency}{blank})?{self.level}{blank}(?:{urgency}{blank})?$"
        return re.compile(rf"^{blank}(?:{opens}|{alone})", re.MULTILINE)

    @cached_property
    def label_cell_re(self) -> re.Pattern[str]:
        """Any line (a table cell) that opens with a bracketed or suffixed label (【涉密】…, 涉密件…); a bare level is a value."""
        opens = rf"(?:{_OPEN}\s*{self.token}\s*{_CLOSE}|{self.suffixed_re.pattern})"
        return re.compile(rf"^[^\S\n]*{opens}", re.MULTILINE)

    @cached_property
    def label_re(self) -> re.Pattern[str]:
        """Any label term left after the harmless words are blotted out."""
        return re.compile(_alt(self.label_terms))

    @cached_property
    def extra(self) -> tuple[re.Pattern[str], ...]:
        """The operator's own patterns from config (each one a marking wherever it matches)."""
        try:
            return tuple(re.compile(normalize(p)) for p in self.patterns)
        except re.error as exc:
            raise ValueError(f"[classified] patterns 中有无法解析的正则表达式：{exc}") from exc


def _coerce(name: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if isinstance(value, str) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"[classified] {name} 应为字符串列表")
        return tuple(value)
    if isinstance(default, int) and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"[classified] {name} 应为非负整数")
    return value
