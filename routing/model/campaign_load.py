"""Validate the campaign mapping and turn it into typed values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from parsers.forms.spec import Column, FormSpec, Metric
from routing.errors import CampaignError
from routing.model.campaign import Campaign, Deadline, Office
from routing.model.campaign_check import check_data
from routing.model.campaign_texts import build_texts, flat_routing

LAYOUTS = ("document", "contact", "table")


def build_campaign(data: Mapping[str, Any]) -> Campaign:
    """Build a Campaign, raising CampaignError with a Chinese message on the first fault."""
    faults = check_data(data)
    if faults:
        raise CampaignError(faults[0].text())
    head = _section(data, "campaign")
    offices = {key: _office(key, raw) for key, raw in _section(data, "offices").items()}
    deadlines = {key: _deadline(key, raw) for key, raw in _section(data, "deadlines").items()}
    forms = tuple(_form(raw, deadlines) for raw in data.get("returns", []))
    if not forms:
        raise CampaignError("活动配置缺少 [[returns]]（需报送的材料）")
    routing = flat_routing(_section(data, "routing"))
    _check_routing(routing, offices, forms)
    return Campaign(
        id=str(head.get("id", "campaign")),
        name=str(head.get("name", "")),
        notice=str(head.get("notice", "")),
        title=str(head.get("title", "")),
        timezone=ZoneInfo(head.get("timezone", "Asia/Shanghai")),
        offices=offices,
        routing=routing,
        deadlines=deadlines,
        forms=forms,
        receipt_format=head.get("receipt_format", Campaign.receipt_format),
        classified_rule=head.get("classified_rule", ""),
        ticks=tuple(str(t) for t in data.get("ticks", {}).get("marks", ["√"])),
        classified=dict(data.get("classified", {})),
        metrics=tuple(_metric(raw) for raw in data.get("metrics", ())),
        reminders_table=dict(data.get("reminders", {})),
        texts=build_texts(data),
    )


def _section(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if not isinstance(value, Mapping) or not value:
        raise CampaignError(f"活动配置缺少 [{name}] 部分")
    return value


def _office(key: str, raw: Mapping[str, Any]) -> Office:
    inboxes = tuple(str(a).strip() for a in raw.get("inboxes", ()))
    if not inboxes:
        raise CampaignError(f"办公室“{key}”没有配置收件邮箱（inboxes）")
    name = str(raw.get("name", key))
    return Office(
        key=key,
        name=name,
        short=str(raw.get("short", name)),
        inboxes=inboxes,
        contact=str(raw.get("contact", "")),
        phone=str(raw.get("phone", "")),
        paper_address=str(raw.get("paper_address", "")),
        full_name=str(raw.get("full_name", name)),
    )


def _deadline(key: str, raw: Mapping[str, Any]) -> Deadline:
    date = raw.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if not isinstance(date, dt.date):
        raise CampaignError(f"截止时间“{key}”的 date 不是日期（应写作 2023-01-04）")
    return Deadline(key=key, label=str(raw.get("label", key)), date=date, source=str(raw.get("source", "")))


def _form(raw: Mapping[str, Any], deadlines: Mapping[str, Deadline]) -> FormSpec:
    kind = raw.get("kind")
    if not kind:
        raise CampaignError("[[returns]] 中有一项缺少 kind")
    if raw.get("layout") not in LAYOUTS:
        raise CampaignError(f"材料“{kind}”的 layout 应为 {'、'.join(LAYOUTS)} 之一")
    if raw.get("deadline") not in deadlines:
        raise CampaignError(f"材料“{kind}”引用了不存在的截止时间“{raw.get('deadline')}”")
    columns = tuple(_column(kind, c) for c in raw.get("columns", ()))
    if raw["layout"] == "table" and not columns:
        raise CampaignError(f"表格材料“{kind}”没有列出 columns")
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise CampaignError(f"材料“{kind}”的列名有重复")
    known = {"kind", "label", "title", "deadline", "layout", "columns", "rules", "fields", "keywords", "unit_label", "date_label"}
    return FormSpec(
        kind=str(kind),
        label=str(raw.get("label", kind)),
        title=str(raw.get("title", raw.get("label", kind))),
        deadline=str(raw["deadline"]),
        layout=str(raw["layout"]),
        columns=columns,
        rules=tuple(dict(r) for r in raw.get("rules", ())),
        fields=tuple(dict(f) for f in raw.get("fields", ())),
        keywords=tuple(raw.get("keywords", ())),
        unit_label=str(raw.get("unit_label", "")),
        date_label=str(raw.get("date_label", "")),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def _column(kind: str, raw: Any) -> Column:
    if isinstance(raw, str):
        return Column(name=raw)
    if not isinstance(raw, Mapping) or not raw.get("name"):
        raise CampaignError(f"材料“{kind}”的某一列缺少 name")
    return Column(
        name=str(raw["name"]),
        group=raw.get("group"),
        role=raw.get("role"),
        aliases=tuple(raw.get("aliases", ())),
        choices=tuple(str(c) for c in raw.get("choices", ())),
    )


def _metric(raw: Mapping[str, Any]) -> Metric:
    # check_data has vetted keys, kinds, forms and columns: this only types them.
    names = ("column", "minuend", "subtrahend")
    return Metric(key=str(raw["key"]), label=str(raw.get("label", raw["key"])), form=str(raw["form"]), kind=str(raw["kind"]),
                  unit=raw.get("unit"), where=raw.get("where"), **{n: str(raw[n]) for n in names if n in raw})


def _check_routing(routing: Mapping[str, Mapping[str, str]], offices: Mapping[str, Office], forms: tuple[FormSpec, ...]) -> None:
    kinds = {f.kind for f in forms}
    for category, table in routing.items():
        for kind, office in table.items():
            if kind not in kinds:
                raise CampaignError(f"路由表“{category}”中的材料“{kind}”未在 [[returns]] 中定义")
            if office not in offices:
                raise CampaignError(f"路由表“{category}”把“{kind}”交给了不存在的办公室“{office}”")
