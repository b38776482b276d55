"""The four results (四项成果) per return, computed from metric definitions in the campaign file."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from parsers.forms.rules.conditions import holds
from parsers.forms.spec import FormBook, FormSpec, Metric
from parsers.forms.text import items
from parsers.forms.values import Duration, parse_duration
from parsers.returns import ParsedReturn

Row = Mapping[str, str]


def compute(spec: FormSpec, ret: ParsedReturn, campaign: FormBook) -> dict[str, float]:
    """Every metric defined for this return's form, keyed by its stable key."""
    found = {}
    sentinels = {**{w: 0.0 for w in spec.extra.get("zero_words", ())}, **{w: None for w in spec.extra.get("none_words", ())}}
    for metric in campaign.metrics:
        if metric.form == spec.kind:
            rows = [r for r in ret.rows if metric.where is None or holds(metric.where, r, campaign.ticks)]
            found[metric.key] = float(sum(METRIC_KINDS[metric.kind](metric, r, sentinels) for r in rows))
    return found


def _count(metric: Metric, row: Row, sentinels: dict) -> float:
    return 1.0


def _count_items(metric: Metric, row: Row, sentinels: dict) -> float:
    # The removed items when listed; else how many more the old list names than the new one.
    listed = items(row.get(metric.column, ""))
    if listed:
        return float(len(listed))
    high, low = items(row.get(metric.minuend, "")), items(row.get(metric.subtrahend, ""))
    return float(max(len(high) - len(low), 0)) if high else 0.0


def _sum_duration(metric: Metric, row: Row, sentinels: dict) -> float:
    saved = _saved(metric, row, sentinels)
    if saved is None:
        return 0.0
    return saved.days if saved.unit == metric.unit else 0.0


def _saved(metric: Metric, row: Row, sentinels: dict) -> Duration | None:
    high = parse_duration(row.get(metric.minuend, ""), sentinels)
    low = parse_duration(row.get(metric.subtrahend, ""), sentinels)
    # A bare "15" inherits the unit the old and new time limits are written in.
    unit = next((d.unit for d in (high, low) if d and d.unit), None)
    stated = parse_duration(row.get(metric.column, ""), sentinels)
    if stated is not None:
        return Duration(stated.days, stated.unit or unit)
    if high and low and (high.unit is None or low.unit is None or high.unit == low.unit):
        return Duration(max(high.days - low.days, 0.0), unit)
    return None


METRIC_KINDS: dict[str, Callable[[Metric, Row, dict], float]] = {
    "count": _count,
    "count-items": _count_items,
    "sum-duration": _sum_duration,
}
