"""The parts of a receipt that describe returns: what came, what to fix, what was passed on, what is late."""

from __future__ import annotations

from mailbot.clock import chinese_date
from parsers.contacts.merge import understood
from routing.delivery import Delivery
from routing.model.campaign import Campaign
from routing.stages.route import misrouted_kinds


def describe_problem(p) -> str:
    """One problem as a line of the receipt: where (cell, row, column) and how to fix it."""
    message = p.message if p.message.endswith(("。", "！", "？")) else p.message + "。"
    where = []
    if p.cell:
        where.append(f"单元格{p.cell}")
    if p.row and f"第{p.row}行" not in message:
        where.append(f"第{p.row}行")
    if p.column and p.column not in message:
        where.append(f"“{p.column}”")
    tag = "" if p.is_error else "【提示】"
    return f"{tag}{'，'.join(where) + '：' if where else ''}{message}"


def describe_forms(delivery: Delivery, campaign: Campaign, versions: dict[str, int], changes: dict[str, str]) -> list[dict]:
    """One entry per return for the receipt template."""
    out = []
    for parsed in delivery.returns:
        spec = campaign.form(parsed.kind)
        where = f"文件：{parsed.file}" + (f"，工作表：{parsed.sheet}" if parsed.sheet else "")
        errors = [p for p in parsed.problems if p.is_error]
        hints = [p for p in parsed.problems if not p.is_error]
        out.append({
            "title": f"{spec.label}《{spec.title}》" if spec.label != spec.title else f"《{spec.title}》",
            "where": where,
            "rows": len(parsed.rows) if spec.layout == "table" else 0,
            "verdict": verdict_text(len(errors), len(hints)),
            "version": versions.get(parsed.kind, 1),
            "changes": changes.get(parsed.kind, ""),
            "understood": understood(spec, parsed.contact) if parsed.contact is not None else "",
            # Numbered: only what must be fixed, so the count in the verdict is the count listed; hints follow apart.
            "problems": [describe_problem(p) for p in errors],
            "hints": [describe_problem(p) for p in hints],
        })
    return out


def verdict_text(errors: int, hints: int) -> str:
    """合格 or 需修改（N处问题）, saying how many hints are listed below the numbered problems."""
    verdict = "合格" if not errors else f"需修改（{errors}处问题）"
    return verdict + (f"，另有{hints}条提示供核对" if hints else "")


def passed_on_text(delivery: Delivery, campaign: Campaign) -> str:
    """The sentence saying which returns belonged to the other office and the address to use next time."""
    kinds = misrouted_kinds(delivery)
    if not kinds:
        return ""
    by_office: dict[str, list[str]] = {}
    for kind in kinds:
        by_office.setdefault(delivery.handlers[kind], []).append(campaign.form(kind).label)
    lines = []
    for key, labels in by_office.items():
        office = campaign.offices[key]
        lines.append(f"其中{'、'.join(labels)}应报{office.name}，本次已代为转交登记，无需重复发送；今后请发送至 {office.address}。")
    return "\n".join(lines)


def late_text(delivery: Delivery, campaign: Campaign) -> str:
    """A polite note that some returns came after their deadline (they are registered all the same)."""
    kinds = delivery.facts.get("overdue_kinds") or []
    if not kinds:
        return ""
    labels = "、".join(campaign.form(k).label for k in kinds)
    dates = "、".join(sorted({chinese_date(campaign.deadline_for(k).date) for k in kinds}))
    return f"{labels}已超过截止时间（{dates}），本次已予登记，请今后按时报送。"
