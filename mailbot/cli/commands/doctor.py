"""`mailbot doctor`: check every mailbox, the database, the roster and the campaign before going live."""

from __future__ import annotations

import contextlib
import logging

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

    findings = list(dict.fromkeys(findings_for(args)))  # the same remark about one shared file is said once
    for f in findings:
        print(f"{MARKS[f.level]} 【{f.level}】{f.item}：{f.detail}")
        if f.fix:
            print(f"    处理办法：{f.fix}")
    failed, warned = (sum(f.level == level for f in findings) for level in (doctor.FAIL, doctor.WARN))
    print(f"\n{verdict(len(findings), failed, warned)}", flush=True)
    return 1 if failed else 0


def verdict(total: int, failed: int, warned: int) -> str:
    """The last line: how many results, failures and remarks, and whether to start."""
    counts = f"自检完成：{total} 项结果，{failed} 项失败，{warned} 项提示。"
    if failed:
        return counts + "请按上面的处理办法修改后重新运行 mailbot doctor。"
    return counts + ("可以启动 mailbot run；上面的提示建议一并处理。" if warned else "可以启动 mailbot run。")


def findings_for(args):
    """Every finding, in the order an operator fixes things: files, database, then mailboxes."""
    from mailbot import doctor
    from mailbot.config import campaign_path, roster_path
    from mailbot.ledger import Ledger

    yield doctor.check_campaign(campaign_path(args.campaign, args.settings))
    campaign = _campaign_or_none(args)
    try:
        # The ledger as this campaign sees it: units of another campaign are not this one's roster.
        ledger = Ledger(_database(args), create=False, campaign=campaign.id if campaign else None)
    except MailbotError as exc:  # an address that cannot be built: a placeholder password, an unreadable password file
        yield doctor.Finding(doctor.FAIL, "数据库", str(exc), "请修改 .env 或运行环境中的数据库设置（MAILBOT_DB 或 MAILBOT_DB_HOST 等）。")
        yield from mail_findings(args.settings)
        return
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
    from mailbot.config import database_url
    from mailbot.ledger.store import resolve_url

    try:
        return database_url(args.db, args.settings)
    except MailbotError:
        return resolve_url(args.db)


def _campaign_or_none(args):
    from mailbot.config import load_campaign

    try:
        return load_campaign(args.campaign, args.settings)
    except MailbotError:
        return None  # check_campaign has said why


def mail_findings(settings_file):
    """The settings file, then each inbox and each SMTP account it names."""
    from mailbot import doctor
    from mailbot.settings import find_settings_path, load_settings

    try:
        with quiet("mailbot.secret_files"):  # its warning is a finding here, counted and printed once, in order
            path = find_settings_path(settings_file)
            settings = load_settings(path) if path is not None else None
    except MailbotError as exc:
        yield doctor.Finding(doctor.FAIL, "运行设置文件", str(exc), "请对照 config/settings.example.toml 修改。")
        return
    if settings is None:
        yield doctor.Finding(doctor.FAIL, "运行设置文件", "未找到 config/settings.toml",
                             "请复制 config/settings.example.toml 为 config/settings.toml 并填写邮箱（或用 --settings / MAILBOT_SETTINGS 指定）。")
        return
    yield from shared_files(settings)
    for inbox in settings.inboxes:
        yield from doctor.check_inbox(inbox)
    for out in settings.outgoing.values():
        yield doctor.check_smtp(out)


def shared_files(settings):
    """One remark per password file that others on the machine may read."""
    from mailbot import doctor
    from mailbot.doctor_secrets import shared_file

    accounts = [*settings.inboxes, *settings.outgoing.values()]
    for path in dict.fromkeys(filter(None, (shared_file(a.credentials) for a in accounts))):
        yield doctor.Finding(doctor.WARN, f"密码文件 {path}", "同组或其他用户也可读取",
                             f"请执行 chmod 600 {path}，仅允许运行本服务的用户读取。")


@contextlib.contextmanager
def quiet(logger_name: str):
    """Silence one logger for the length of a with-block."""
    logger = logging.getLogger(logger_name)
    before, logger.disabled = logger.disabled, True
    try:
        yield
    finally:
        logger.disabled = before
