"""Check the links between a campaign file's sections: routes to offices and forms, metrics, reminder deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from routing.model.campaign_fault import Fault, suggest
from routing.model.campaign_refs import Columns, condition, list_of, table_of


def check_links(data: Mapping[str, Any]) -> list[Fault]:
    """The faults of [routing], [[metrics]] and [reminders.deadlines]."""
    faults: list[Fault] = []
    forms = {f.get("kind"): (i, f) for i, f in enumerate(list_of(data.get("returns"))) if isinstance(f, Mapping)}
    _routing(data, forms, faults)
    for i, metric in enumerate(list_of(data.get("metrics"))):
        if isinstance(metric, Mapping) and metric.get("form") in forms:
            _metric(metric, ("metrics", i), forms[metric["form"]][1], faults)
        elif isinstance(metric, Mapping) and "form" in metric:
            faults.append(Fault(("metrics", i, "form"), f"材料“{metric['form']}”未在 [[returns]] 中定义{suggest(metric['form'], forms)}"))
    _reminders(data, faults)
    return faults


def _routing(data: Mapping[str, Any], forms: Mapping, faults: list[Fault]) -> None:
    offices = table_of(data.get("offices"))
    raw = table_of(data.get("routing"))
    flat = bool(raw) and all(isinstance(v, str) for v in raw.values())  # no unit categories: material = office
    for category, table in ({"": raw} if flat else raw).items():
        for kind, office in table_of(table).items():
            path = ("routing", kind) if flat else ("routing", category, kind)
            if kind not in forms:
                faults.append(Fault(path, f"材料“{kind}”未在 [[returns]] 中定义{suggest(kind, forms)}"))
            if office not in offices:
                faults.append(Fault(path, f"交给了不存在的办公室“{office}”{suggest(office, offices)}（已配置：{'、'.join(offices)}）"))


def _metric(metric: Mapping[str, Any], path: tuple, form: Mapping[str, Any], faults: list[Fault]) -> None:
    columns = Columns(form)
    if metric.get("kind") in ("count-items", "sum-duration") and "column" not in metric:
        faults.append(Fault(path + ("column",), f"统计方法“{metric['kind']}”须给出 column（读取的列）"))
    for name in ("column", "minuend", "subtrahend"):
        if name in metric:
            columns.check(metric[name], path + (name,), faults)
    if "where" in metric:
        condition(metric["where"], path + ("where",), columns, faults)


def _reminders(data: Mapping[str, Any], faults: list[Fault]) -> None:
    deadlines = table_of(data.get("deadlines"))
    for key in table_of(table_of(data.get("reminders")).get("deadlines")):
        if key not in deadlines:
            faults.append(Fault(("reminders", "deadlines", key), f"截止时间“{key}”未在 [deadlines] 中定义{suggest(key, deadlines)}"))
