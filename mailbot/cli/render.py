"""Terminal output for people: verdicts and receipts, in Chinese (rich); the ledger matrix is mailbot.cli.matrix_text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from routing.model.campaign import Campaign

OUTCOME_LABELS = {
    "accepted": "已登记（合格）",
    "invalid": "已登记（需修改）",
    "refused_classified": "涉密拒收",
    "ignored": "已忽略（不回复）",
    "duplicate": "重复邮件",
    "unsupported": "附件无法读取",
    "no_forms": "未识别出材料",
    "unknown_sender": "无法确定单位",
    "held_for_review": "待人工确认",
}


def console() -> Console:
    """A console that never wraps Chinese mid-word on narrow CI terminals."""
    return Console(width=160, soft_wrap=False, highlight=False)


def print_verdict(verdict: dict, campaign: Campaign) -> None:
    """One line per message (outcome, unit, sender, receipt number, why), then each material and its problems, in words."""
    from rich.markup import escape  # a sender's file name may hold [brackets]: text, never rich markup

    from routing.chain import reason_words

    out = console()
    unit = verdict.get("unit") or "（未确定单位）"
    extra = "，投错邮箱已转交" if verdict.get("misrouted") else ""
    extra += "，逾期" if verdict.get("overdue") else ""
    why = reason_words(verdict.get("reason") or "")
    out.print(f"[bold]{outcome_label(verdict.get('outcome'))}[/bold]  {escape(unit)}  {escape(verdict.get('sender') or '')}  "
              f"收件编号：{escape(verdict.get('receipt_no') or '—')}{extra}" + (f"  原因：{why}" if why else ""))
    for form in verdict.get("forms", []):
        spec = _spec(campaign, form["kind"])
        rows = f"  {form['rows']}行" if spec is not None and spec.layout == "table" else ""
        out.print(f"    {escape(material_name(spec))}  {escape(form['file'])}  {'合格' if form['status'] == 'accepted' else '需修改'}{rows}")
        for p in form["problems"]:
            hint = "" if p.get("severity", "error") == "error" else "提示："
            out.print(f"      - {hint}{escape(' '.join(filter(None, (p.get('cell'), p['message']))))}")
    for p in verdict.get("file_problems", []):
        out.print(f"    {escape(p.get('file') or '')}：{escape(p['message'])}")


def outcome_label(outcome: str | None) -> str:
    """已登记（合格）… for a verdict's outcome; never the code itself."""
    return OUTCOME_LABELS.get(outcome or "", "未处理")


def material_name(spec) -> str:
    """附件3《保留职权事项…清单》, as the receipts name a material (just 《title》 when the label is the title)."""
    if spec is None:
        return "（本活动未列出的材料）"
    return f"{spec.label}《{spec.title}》" if spec.label != spec.title else f"《{spec.title}》"


def _spec(campaign: Campaign, kind: str):
    try:
        return campaign.form(kind)
    except KeyError:
        return None
