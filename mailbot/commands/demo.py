"""`mailbot demo`: the whole job on the embedded default, with a bundled sample inbox and no mail account."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from mailbot.app import App
from mailbot.clock import local
from mailbot.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow
from mailbot.matrix import ledger_rows
from mailbot.render import OUTCOME_LABELS, console, matrix_table
from mailbot.samples import demo_inbox

ORDER = 1
DEMO_NOW = (2023, 1, 21, 9, 0)  # the demo looks at the ledger as on the morning after the last deadline


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("demo", help="演示：用内置示例邮件跑通全流程（无需邮箱账号）")
    p.add_argument("--keep", metavar="DIR", help="把演示数据库保存到该目录（默认用完即删）")
    p.add_argument("--receipts", type=int, default=3, help="显示前几封回执全文（默认 3）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Process the sample inbox into a fresh SQLite ledger and show what happened."""
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mailbot-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    app = App(db=args.db or f"sqlite:///{workdir / 'demo.db'}", campaign_file=args.campaign)
    out = console()
    out.rule("“两优”报送机器人演示")
    out.print(f"演示数据库：{app.ledger.url}\n")
    verdicts = _process_all(app, out)
    _show_ledger(app, out)
    _show_receipts(app, out, args.receipts)
    out.print(f"\n共处理 {len(verdicts)} 封邮件。")
    return 0


def _process_all(app: App, out) -> list[dict]:
    import datetime as dt

    pipeline_now = dt.datetime(*DEMO_NOW, tzinfo=app.campaign.timezone)
    verdicts = []
    for sample in demo_inbox(app.campaign):
        pipeline = app.pipeline()
        pipeline.now = lambda moment=sample.received_at: moment + dt.timedelta(minutes=1)
        verdict = pipeline.process(delivery_from_bytes(sample.raw, sample.mailbox, received_at=sample.received_at, now=pipeline_now))
        verdicts.append(verdict)
        label = OUTCOME_LABELS.get(verdict["outcome"], verdict["outcome"])
        out.print(f"{sample.title:<28}→ [bold]{label}[/bold]  单位：{verdict.get('unit') or '—'}  编号：{verdict.get('receipt_no') or '—'}")
    return verdicts


def _show_ledger(app: App, out) -> None:
    import datetime as dt

    now = dt.datetime(*DEMO_NOW, tzinfo=app.campaign.timezone)
    with app.ledger.session() as session:
        rows = [r for r in ledger_rows(session, app.campaign, now) if any(c["status"] not in ("未报送", "逾期未报") for c in r["returns"].values())]
    out.print()
    out.print(matrix_table(rows, {spec.kind: spec.label for spec in app.campaign.forms}))
    out.print("（仅列出已有报送记录的单位；完整台账：mailbot ledger）")


def _show_receipts(app: App, out, limit: int) -> None:
    with app.ledger.session() as session:
        replies = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
    out.print(f"\n待发送回执 {len(replies)} 封（演示不实际发送）：")
    for row in replies:
        out.print(f"  → {row.to_addr}  {row.subject}  [{row.kind.removeprefix('reply:')}]")
    for row in replies[:limit]:
        out.rule(f"回执：{row.to_addr}")
        out.print(row.body, markup=False, soft_wrap=True)
