"""Turning a spreadsheet value into the text a person saw, including the CJK date formats openpyxl misses."""

from __future__ import annotations

import datetime as dt

from parsers.forms.values import EXCEL_EPOCH

# Built-in number formats of Chinese/Japanese/Korean Excel (and WPS's 59) that openpyxl does not know:
# a date typed in 2023年1月5日 style comes back as a bare serial number unless we map them ourselves.
CJK_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 60))


def display(value: object) -> str:
    """The text of a value as a person reads it: 20 not 20.0, dates as 2023-01-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def cjk_date(value: object, num_fmt_id: int | None) -> object:
    """A serial number styled with a CJK built-in date format, as a date; anything else unchanged."""
    if num_fmt_id in CJK_DATE_FORMATS and isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 < value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
    return value
