"""`mailbot doctor`: check every mailbox, the database, the roster and the campaign before going live."""

from __future__ import annotations

from mailbot import doctor
from mailbot.config import campaign_path, database_url, load_campaign, roster_path
from mailbot.errors import MailbotError
from mailbot.ledger import Ledger
from mailbot.ledger.store import resolve_url
from mailbot.settings import find_settings_path, load_settings

ORDER = 85
MARKS = {doctor.PASS: "✔", doctor.WARN: "！", doctor.FAIL: "✘"}


def register(sub) -> None:
    """Add the subcommand."""
    p = sub.add_parser("doctor", help="上线前自检：逐一检查收件邮箱、发信账号、数据库、名册和活动配置，并说明如何处理")
    p.set_defaults(handler=run)


def run(args) -> int:
    """Run every check, print each finding in Chinese; exit 1 when anything failed."""
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
    yield doctor.check_campaign(campaign_path(args.campaign, args.settings))
    campaign = _campaign_or_none(args)
    # The ledger as this campaign sees it: units of another campaign are not this one's roster.
    ledger = Ledger(_database(args), create=False, campaign=campaign.id if campaign else None)
    try:
        database = list(doctor.check_database(ledger))
        yield from database
        yield from doctor.check_roster(roster_path(args.campaign, args.settings), ledger, ready=all(f.level == doctor.PASS for f in database),
                                       categories=campaign.categories if campaign else None)
    finally:
        ledger.dispose()
    yield from mail_findings(args.settings)


def _database(args) -> str:
    """The database the service would use; a broken settings file is reported below, with the mailboxes."""
    try:
        return database_url(args.db, args.settings)
    except MailbotError:
        return resolve_url(args.db)


def _campaign_or_none(args):
    try:
        return load_campaign(args.campaign, args.settings)
    except MailbotError:
        return None  # check_campaign has said why


def mail_findings(settings_file):
    """The settings file, then each inbox and each SMTP account it names."""
    try:
        path = find_settings_path(settings_file)
        settings = load_settings(path) if path is not None else None
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
