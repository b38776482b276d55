"""Terminal output for people: verdicts and receipts, in Chinese (rich); the ledger matrix is mailbot.cli.matrix_text."""

from __future__ import annotations

from rich.console import Console

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


def print_verdict(verdict: dict) -> None:
    """One line per message, then its problems."""
    out = console()
    label = OUTCOME_LABELS.get(verdict.get("outcome"), verdict.get("outcome"))
    unit = verdict.get("unit") or "（未确定单位）"
    extra = "，投错邮箱已转交" if verdict.get("misrouted") else ""
    extra += "，逾期" if verdict.get("overdue") else ""
    out.print(f"[bold]{label}[/bold]  {unit}  {verdict.get('sender')}  收件编号：{verdict.get('receipt_no') or '—'}{extra}")
    for form in verdict.get("forms", []):
        out.print(f"    {form['kind']}  {form['file']}  {'合格' if form['status'] == 'accepted' else '需修改'}  {form['rows']}行")
        for p in form["problems"]:
            out.print(f"      - {p.get('cell') or ''} {p['message']}")
