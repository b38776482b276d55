"""Working days by the Chinese official calendar (holidays and adjusted working days), as pure functions."""

from __future__ import annotations

import datetime as dt

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is an official working day (调休 weekends count, holidays do not)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # The package only knows the years the State Council has published; beyond them, Monday–Friday.
        return day.weekday() < 5


def next_working_day(day: dt.date, *, include: bool = False) -> dt.date:
    """The first working day after ``day`` (or ``day`` itself when ``include`` and it is one)."""
    day = day if include else day + ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def previous_working_day(day: dt.date, *, include: bool = False) -> dt.date:
    """The last working day before ``day`` (or ``day`` itself when ``include`` and it is one)."""
    day = day if include else day - ONE_DAY
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def shift_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days after ``day`` (before it when negative); 0 is ``day`` itself."""
    step = next_working_day if count > 0 else previous_working_day
    for _ in range(abs(count)):
        day = step(day)
    return day


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every working day from ``start`` to ``end``, both included."""
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return days
