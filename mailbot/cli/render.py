"""Terminal output for people: verdicts, the ledger matrix and receipts, in Chinese (rich tables)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

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
STANDING_STYLES = {"未报送": "yellow", "已报送-合格": "green", "已报送-待修改": "magenta", "逾期未报": "bold red", "逾期已报": "cyan", "涉密拒收-待光盘报送": "bold white on red", "豁免": "dim"}


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


def matrix_table(rows: list[dict], labels: dict[str, str], title: str = "报送台账", categories: bool = True) -> Table:
    """The units × returns matrix as a rich table; ``title`` is the campaign's ledger_title, no 类别 without categories."""
    table = Table(title=title, show_lines=False)
    if categories:
        table.add_column("类别")
    table.add_column("单位名称")
    for label in labels.values():
        table.add_column(label)
    for row in rows:
        cells = []
        for kind in labels:
            cell = row["returns"].get(kind)
            cells.append("—" if cell is None else f"[{STANDING_STYLES.get(cell['status'], '')}]{cell['status']}[/]" + (f" v{cell['version']}" if cell.get("version") else ""))
        table.add_row(*([row["category"]] if categories else []), row["unit"], *cells)
    return table
