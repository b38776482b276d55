"""`mailbot demo`: the whole job on the embedded default, with a bundled sample inbox and no mail account."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.app import App

if TYPE_CHECKING:
    from mailbot.demo.mail_round import MailRound

ORDER = 1
DEMO_NOW = (2023, 1, 21, 9, 0)  # the demo looks at the ledger as on the morning after the last deadline
DEMO_EXTRA = ("pymap", "aiosmtpd")  # the demo's local mail servers; the optional extra [demo], not the product
INSTALL_HINT = ("演示所需的本机邮件服务器组件（{missing}）尚未安装。请在项目目录中执行：\n"
                "    python3 -m pip install -e '.[demo]'\n"
                "安装完成后再运行 mailbot demo。")


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("demo", help="演示：在本机邮件服务器上用内置示例邮件跑通全流程（无需邮箱账号）")
    p.add_argument("--keep", metavar="DIR", help="把演示数据库保存到该目录（默认演示结束即删除全部临时文件）")
    p.add_argument("--receipts", type=int, default=3, help="显示前几封回执全文（默认 3）")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Run the sample inbox through local IMAP and SMTP servers into a fresh SQLite ledger and show what happened."""
    import shutil
    import tempfile

    from mailbot.cli.render import console
    from mailbot.demo.mail_round import ReplayApp

    missing = [name for name in DEMO_EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        console().print(INSTALL_HINT.format(missing="、".join(missing)), markup=False)  # [demo] is no rich markup
        return 1
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mailbot-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    app = ReplayApp(db=args.db or f"sqlite:///{workdir / 'demo.db'}", campaign_file=args.campaign)
    out = console()
    try:
        out.rule(f"{app.campaign.texts.system}演示")
        out.print(f"演示数据库：{_where(app.ledger)}", markup=False)
        _run_round(app, out, args.receipts, workdir)
        out.print(ledger_hint(app.ledger.url, kept=bool(args.keep or args.db), folder=_folder(app)), soft_wrap=True)
    finally:
        if "ledger" in app.__dict__:
            app.ledger.dispose()
        for secret in workdir.glob("*.secret"):  # the local servers' throwaway passwords: gone with the servers
            secret.unlink()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _run_round(app, out, receipts: int, workdir: Path) -> None:
    from mailbot.demo.mail_round import run_mail_round
    from mailbot.demo.servers import LocalMailUnavailable

    try:
        done = run_mail_round(app, _inbox(app), workdir)
    except LocalMailUnavailable as exc:
        out.print(f"{exc}，改为直接处理示例邮件（不经邮件服务器）。\n")
        verdicts = _process_all(app, out)
        _show_ledger(app, out)
        _show_receipts(app, out, receipts)
        out.print(f"\n共处理 {len(verdicts)} 封邮件。")
        return
    _show_round(done, out)
    _show_ledger(app, out)
    _show_sent(done, out, receipts)
    out.print(f"\n共经 IMAP 收取并处理 {sum(r.processed for r in done.reports)} 封邮件，SMTP 收信端收到回执 {len(done.received)} 封。")


def ledger_hint(url: str, kept: bool, folder: Path | None = None) -> str:
    """How to open the demo's own ledger afterwards (not the service's, which `mailbot ledger` alone would open)."""
    if kept:
        # The campaign folder is named in full: campaigns are found from the working directory, which may differ later.
        campaign = f"--campaign {folder} " if folder else ""
        return f"演示数据库已保留。查看完整台账：mailbot {campaign}--db {url} ledger"
    return "演示数据库及临时文件（含本机邮件服务器的临时口令）已删除。如需查看完整台账，请加 --keep 目录 重新运行。"


def _show_round(done: MailRound, out) -> None:
    out.print(f"本机邮件服务器：IMAP {done.imap_at}（内存中的临时邮箱），SMTP {done.smtp_at}（演示收信端）")
    out.print(f"已向各办公室的收件箱投递 {len(done.verdicts)} 封示例邮件，机器人经 IMAP 收取、登记，回执经 SMTP 发出。\n")
    for sample, verdict in done.verdicts:
        _print_verdict(out, sample, verdict)
    for report in done.reports:
        if report.error:
            out.print(f"[bold red]邮箱 {report.inbox} 收取失败：{report.error}[/bold red]")


def _print_verdict(out, sample, verdict: dict) -> None:
    from mailbot.cli.render import outcome_label
    from routing.chain import reason_words

    why = reason_words(verdict.get("reason") or "")
    out.print(f"{sample.title:<28}→ [bold]{outcome_label(verdict.get('outcome'))}[/bold]  单位：{verdict.get('unit') or '—'}  "
              f"编号：{verdict.get('receipt_no') or '—'}" + (f"  原因：{why}" if why else ""))


def _show_sent(done: MailRound, out, limit: int) -> None:
    import email
    from email import policy

    messages = [email.message_from_bytes(r.data, policy=policy.default) for r in done.received]
    out.print(f"\nSMTP 收信端收到回执 {len(messages)} 封：")
    for message in messages:
        out.print(f"  → {message['To']}  {message['Subject']}")
    for message in messages[:limit]:
        out.rule(f"回执：{message['To']}")
        body = message.get_body(preferencelist=("plain",))
        out.print(body.get_content() if body is not None else "", markup=False)


def _process_all(app: App, out) -> list[dict]:
    import datetime as dt

    from mailbot.intake.inbound import delivery_from_bytes

    pipeline_now = _now(app)
    verdicts = []
    for sample in _inbox(app):
        pipeline = app.pipeline()
        pipeline.now = lambda moment=sample.received_at: moment + dt.timedelta(minutes=1)
        verdict = pipeline.process(delivery_from_bytes(sample.raw, sample.mailbox, received_at=sample.received_at, now=pipeline_now))
        verdicts.append(verdict)
        _print_verdict(out, sample, verdict)
    return verdicts


def _show_ledger(app: App, out) -> None:
    from mailbot.cli.matrix_text import matrix_text
    from mailbot.reports.matrix import ledger_rows

    now = _now(app)
    with app.ledger.session() as session:
        rows = [r for r in ledger_rows(session, app.campaign, now) if any(c["status"] not in ("未报送", "逾期未报") for c in r["returns"].values())]
    out.print()
    out.print(matrix_text(rows, {spec.kind: spec.label for spec in app.campaign.forms}, app.campaign.texts.ledger_title,
                          app.campaign.categories != ("",)), markup=False, soft_wrap=True)
    out.print("（仅列出已有报送记录的单位）")


def _show_receipts(app: App, out, limit: int) -> None:
    from sqlalchemy import select

    from mailbot.ledger.models import OutboxRow

    with app.ledger.session() as session:
        replies = session.scalars(select(OutboxRow).order_by(OutboxRow.id)).all()
    out.print(f"\n待发送回执 {len(replies)} 封（演示不实际发送）：")
    for row in replies:
        out.print(f"  → {row.to_addr}  {row.subject}  （{_mail_kind(row.kind)}）", markup=False)
    for row in replies[:limit]:
        out.rule(f"回执：{row.to_addr}")
        out.print(row.body, markup=False, soft_wrap=True)


def _mail_kind(kind: str) -> str:
    """回执：已登记（合格）, 涉密拒收提醒… for an outbox row's kind."""
    from mailbot.cli.render import outcome_label
    from mailbot.outbox.trouble import kind_label

    return f"回执：{outcome_label(kind.removeprefix('reply:'))}" if kind.startswith("reply:") else kind_label(kind)


def _inbox(app: App) -> list:
    from mailbot.demo.generic_inbox import inbox_for
    from mailbot.ledger.units import load_roster

    with app.ledger.session() as session:
        return inbox_for(app.campaign, list(load_roster(session)))


def _now(app: App):
    import datetime as dt

    from mailbot.demo.generic_inbox import demo_moment
    from mailbot.demo.inbox import fits

    # The shipped samples are dated for the shipped notice; mails built from another campaign follow its deadlines.
    return dt.datetime(*DEMO_NOW, tzinfo=app.campaign.timezone) if fits(app.campaign) else demo_moment(app.campaign)


def _where(ledger) -> str:
    """The demo ledger's file (its address when it is not SQLite, without the password)."""
    from mailbot.sqlite_file import sqlite_file

    found = sqlite_file(ledger.url)
    return str(found) if found else ledger.engine.url.render_as_string(hide_password=True)


def _folder(app: App) -> Path | None:
    where = app.config.campaign_file
    return Path(where).resolve().parent if where else None
