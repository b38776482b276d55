"""A demo inbox built from any campaign and its roster: correct, faulty, late, unknown and 涉密 mails, no notice text."""

from __future__ import annotations

import datetime as dt
import io

from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import DOCX, XLSX, Sample, _mail, demo_inbox, fits
from parsers.forms.spec import FormSpec
from routing.model.campaign import Campaign
from routing.model.roster import Unit

FILLER = "按通知要求认真组织，逐项核实，责任到人，确保数据真实、准确、完整，按期报送。"


def generic_inbox(campaign: Campaign, units: list[Unit]) -> list[Sample]:
    """Mails from the first two units that have an address, one stranger, and one 涉密 marking."""
    senders = [u for u in units if u.emails and campaign.kinds_for(u.category)][:2]
    samples: list[Sample] = []
    for number, unit in enumerate(senders):
        late = number == 1  # the second unit reports a day after the deadline, one form with a fault
        for kind in campaign.kinds_for(unit.category):
            samples.append(_return(campaign, unit, campaign.form(kind), late=late, faulty=late))
    table = next((s for s in campaign.forms if s.layout == "table"), None)
    first = next(iter(campaign.offices.values())).address
    when = _on(campaign, campaign.forms[0], days=-2)
    if table is not None:
        attach = [(f"{table.title}.xlsx", form_xlsx(table, "", [sample_row(table, 0)]), XLSX)]
        samples.append(Sample("名册外邮箱，未写单位", first, when, _mail("someone@mail.example.net", first, table.title, when, "请查收。", attach)))
    samples.append(Sample("主题标注【涉密】", first, when, _mail(senders[0].emails[0] if senders else "x@example.net", first, "【涉密】有关材料", when, "（正文略）")))
    return samples


def _return(campaign: Campaign, unit: Unit, spec: FormSpec, *, late: bool, faulty: bool) -> Sample:
    office = campaign.handler(unit.category, spec.kind)
    when = _on(campaign, spec, days=1 if late else -1)
    subject = f"{unit.aliases[0] if unit.aliases else unit.name}报送{spec.label}"
    body, files = f"{office.short}：\n附件请查收。\n{unit.name}", []
    if spec.layout == "table":
        rows = [sample_row(spec, i) for i in range(2)]
        if faulty:
            rows[1] = {**rows[1], **dict.fromkeys(_required(spec)[:1], "")}
        files = [(f"{spec.label}-{unit.name}.xlsx", form_xlsx(spec, unit.name, rows, date=_date(when)), XLSX)]
    elif spec.layout == "document":
        files = [(f"{unit.name}{spec.title}.docx", document_docx(unit.name, spec.title, int(spec.extra.get("min_chars", 50))), DOCX)]
    else:
        body = f"{office.short}：\n" + "  ".join(f"{f['name']}：{_field_value(f)}" for f in spec.fields) + f"\n{unit.name}"
    late = when.date() > campaign.deadline_for(spec.kind).date  # a demo before the deadline cannot be late
    title = f"{unit.name}报送{spec.label}" + ("（逾期）" if late else "") + ("（有错误）" if faulty and spec.layout == "table" else "")
    return Sample(title, office.address, when, _mail(unit.emails[0], office.address, subject, when, body, files))


def sample_row(spec: FormSpec, index: int) -> dict[str, str]:
    """One row the form's own rules accept: options, numbers, durations and phones where the rules ask for them."""
    row = {c.name: f"示例{c.name}{index + 1}" for c in spec.columns if c.role != "seq"}
    for rule in spec.rules:
        if rule.get("kind") == "exactly-one-ticked":
            row.update({c: ("√" if i == 0 else "") for i, c in enumerate(rule["columns"])})
            continue
        for column in _columns(rule):
            if column in row:
                row[column] = _value_for(rule, index, row[column])
    return row


def _columns(rule) -> list[str]:
    return [rule["column"]] if "column" in rule else list(rule.get("columns", []))


def _value_for(rule, index: int, current: str) -> str:
    kind = rule.get("kind")
    if kind == "one-of":
        return str(rule["values"][0])
    if kind == "number" or (kind == "compare" and rule.get("as") == "number"):
        return str(index + 1)
    if kind == "duration":
        return "5个工作日"
    if kind == "pattern" and rule.get("pattern") == "phone":
        return "13912345678"
    return current


def _required(spec: FormSpec) -> list[str]:
    return [c for r in spec.rules if r.get("kind") == "required" for c in r.get("columns", [])]


def _field_value(field) -> str:
    return {"name": "张明", "position": "办公室主任", "phone": "13912345678"}.get(field.get("role", ""), "示例")


def document_docx(unit: str, title: str, min_chars: int) -> bytes:
    """A short document return (a plan, a report) long enough for the form's min_chars."""
    import docx

    document = docx.Document()
    document.add_heading(f"{unit}{title}", level=1)
    for index in range(max(2, min_chars // len(FILLER) + 2)):
        document.add_paragraph(f"{'一二三四五六七八九十'[index % 10]}、{FILLER}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _on(campaign: Campaign, spec: FormSpec, days: int) -> dt.datetime:
    # Never after today: a receipt dated in the future would wait in the outbox until then.
    day = min(campaign.deadline_for(spec.kind).date + dt.timedelta(days=days), _today(campaign) - dt.timedelta(days=1))
    return dt.datetime.combine(day, dt.time(10, 0), campaign.timezone)


def _today(campaign: Campaign) -> dt.date:
    from mailbot import clock

    return clock.now(campaign.timezone).date()


def _date(when: dt.datetime) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def inbox_for(campaign: Campaign, units: list[Unit]) -> list[Sample]:
    """The shipped campaign's hand-written samples when they fit the campaign, else mails built from it."""

    return demo_inbox(campaign) if fits(campaign) else generic_inbox(campaign, units)


def demo_moment(campaign: Campaign) -> dt.datetime:
    """When the demo looks at the ledger: the morning after the last deadline."""
    last = min(max(d.date for d in campaign.deadlines.values()) + dt.timedelta(days=3), _today(campaign))
    return dt.datetime.combine(last, dt.time(9, 0), campaign.timezone)
