"""The only clock of the service: aware datetimes in the campaign's zone (tests move it with time-machine)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now(tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    """The current time, aware, in Asia/Shanghai unless told otherwise."""
    return dt.datetime.now(tz)


def local(moment: dt.datetime, tz: ZoneInfo = SHANGHAI) -> dt.datetime:
    """A moment shown in the campaign's zone (naive values are taken as already local)."""
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


def chinese_date(moment: dt.datetime | dt.date) -> str:
    """2023年1月5日, as an office writes a date."""
    return f"{moment.year}年{moment.month}月{moment.day}日"


def chinese_datetime(moment: dt.datetime, tz: ZoneInfo = SHANGHAI) -> str:
    """2023年1月5日 14:05, in the campaign's zone."""
    moment = local(moment, tz)
    return f"{chinese_date(moment)} {moment:%H:%M}"
