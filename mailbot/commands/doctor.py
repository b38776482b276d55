"""`mailbot doctor`: check every mailbox, the database, the roster and the campaign before going live."""

from __future__ import annotations

from mailbot.errors import MailbotError

ORDER = 85
MARKS = {"通过": "✔", "提示": "！", "失败": "✘"}  # mailbot.doctor's PASS, WARN, FAIL (imported only when it runs)


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("doctor", help="上线前自检：逐一检查收件邮箱、发信账号、数据库、名册和活动配置，并说明如何处理")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Run every check, print each finding in Chinese; exit 1 when anything failed."""
    from mailbot import doctor

    findings = list(findings_for(args))
    for f in findings:
        print(f"{MARKS[f.level]} 【{f.level}】{f.item}：{f.detail}")
        if f.fix:
            print(f"    处理办法：{f.fix}")
    failed = sum(f.level == doctor.FAIL for f in findings)
    print(f"\n自检完成：{len(findings)} 项结果，{failed} 项失败。" + ("请按上面的处理办法修改后重新运行 mailbot doctor。" if failed else "可以启动 mailbot run。"))
    return 1 if failed else 0


def findings_for(args):
    """Every finding, in the order an operator fixes things: files, database, then mailboxes."""
    from mailbot import doctor
    from mailbot.config import DEFAULT_ROSTER, campaign_path
    from mailbot.ledger import Ledger

    yield doctor.check_campaign(campaign_path(args.campaign))
    ledger = Ledger(args.db, create=False)
    try:
        database = list(doctor.check_database(ledger))
        yield from database
        yield from doctor.check_roster(DEFAULT_ROSTER, ledger, ready=all(f.level == doctor.PASS for f in database))
    finally:
        ledger.dispose()
    yield from mail_findings(args.settings)


def mail_findings(settings_file):
    """The settings file, then each inbox and each SMTP account it names."""
    from mailbot import doctor
    from mailbot.worker_config import load_site_settings

    try:
        settings = load_site_settings(settings_file)
    except MailbotError as exc:
        yield doctor.Finding(doctor.FAIL, "运行设置文件", str(exc), "请对照 config/settings.example.toml 修改。")
        return
    if settings is None:
        yield doctor.Finding(doctor.FAIL, "运行设置文件", "未找到 config/settings.toml",
                             "请复制 config/settings.example.toml 为 config/settings.toml 并填写邮箱（或用 --settings / MAILBOT_SETTINGS 指定）。")
        return
    for inbox in settings.inboxes:
        yield from doctor.check_inbox(inbox)
    for out in settings.outgoing.values():
        yield doctor.check_smtp(out)
