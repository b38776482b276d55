"""Reading what people type: ticks, dates, numbers and durations such as "20个工作日" or "即办"."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from parsers.forms.text import clean

EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DURATION = re.compile(r"^(?:约|共)?(?P<n>[\d.]+|[零〇一二两三四五六七八九十百]+)\s*(?:个)?\s*(?P<unit>工作日|自然日|日|天|小时|个?月)?$")
NATURAL, WORKING = "natural", "working"
_UNITS = {"工作日": WORKING, "自然日": NATURAL, "日": NATURAL, "天": NATURAL, None: None}


def is_ticked(text: str, marks: tuple[str, ...]) -> bool:
    """Whether a cell counts as ticked: it holds one of the configured marks."""
    text = clean(text)
    return bool(text) and (text in marks or any(text == clean(m) for m in marks))


def parse_date(value: object) -> dt.date | None:
    """A date from a datetime, an Excel serial, or text like 2023年1月5日 / 2023.1.5 / 2023-01-05."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    match = _DATE.search(clean(value))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def chinese_number(text: str) -> int | None:
    """二十 → 20, 十五 → 15, 一百二十 → 120; None when it is not a plain Chinese numeral."""
    if not text or any(ch not in _CN_DIGITS and ch not in "十百" for ch in text):
        return None
    total, current = 0, 0
    for ch in text:
        if ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def parse_number(value: object) -> float | None:
    """A number from a numeric cell, "12", "12.5" or a Chinese numeral; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = clean(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        number = chinese_number(text)
        return float(number) if number is not None else None


@dataclass(frozen=True)
class Duration:
    """A time limit in days; ``unit`` is natural, working, or None when the sender did not say."""

    days: float
    unit: str | None = None


def parse_duration(value: object, sentinels: dict[str, float | None] | None = None) -> Duration | None:
    """"20个工作日" → Duration(20, working); "20天" → natural; sentinels map e.g. 即办 → 0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Duration(float(value))
    return _duration(value if isinstance(value, str) else clean(value), tuple((sentinels or {}).items()))


@functools.lru_cache(maxsize=4096)
def _duration(text: str, sentinels: tuple[tuple[str, float | None], ...]) -> Duration | None:
    # Cached: a 200-row form repeats the same few time limits in three columns and several rules.
    text = re.sub(r"\s+", "", clean(text))
    for word, days in sentinels:
        if text == word or (days is not None and text.startswith(word)):
            return Duration(float(days)) if days is not None else None
    match = _DURATION.match(text)
    if not match or match.group("unit") in ("小时",) or (match.group("unit") or "").endswith("月"):
        return None
    days = parse_number(match.group("n"))
    return Duration(days, _UNITS[match.group("unit")]) if days is not None else None
