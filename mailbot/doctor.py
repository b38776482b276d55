"""Preflight checks for `mailbot doctor`: each inbox and SMTP account, the database, the roster and the campaign."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from mailbot.errors import MailbotError
from mailbot.mail.imap import CLIENT_ID, Mailbox, MailboxError, connect_client, translate_errors
from mailbot.mail.smtp import SmtpAuthFailed, SmtpConnection
from mailbot.settings import Inbox, Outgoing

PASS, WARN, FAIL = "通过", "提示", "失败"


@dataclass(frozen=True)
class Finding:
    """One checked item: its level (通过/提示/失败), what was checked, what was found, and how to fix it."""

    level: str
    item: str
    detail: str
    fix: str = ""


def provider_advice(address: str) -> str:
    """How the provider of an address hands out the secret the robot must log in with."""
    domain = address.rsplit("@", 1)[-1].lower()
    if domain in ("qq.com", "foxmail.com"):
        return ("QQ 邮箱须使用 16 位授权码登录，而不是 QQ 密码：网页版 QQ 邮箱“设置—账户—POP3/IMAP/SMTP服务”中开启 IMAP/SMTP 服务，"
                "按提示用手机验证后生成授权码；修改 QQ 密码后原授权码失效，须重新生成。")
    if domain in ("126.com", "163.com", "yeah.net"):
        return ("网易 126/163 邮箱须使用客户端授权密码登录：网页版邮箱“设置—POP3/SMTP/IMAP”中开启 IMAP/SMTP 服务，"
                "按提示新增授权密码；授权密码只显示一次，请立即写入密码文件或环境变量。")
    return "请核对账号，并确认使用的是邮箱服务商为客户端签发的授权码或应用专用密码。"


def secret_hint(address: str, password: str) -> str:
    """A remark on the secret's shape (never its content): a QQ 授权码 has exactly 16 letters."""
    if address.lower().endswith("@qq.com") and (len(password) != 16 or not password.isalpha()):
        return f"当前填写的密码为 {len(password)} 个字符，而 QQ 授权码是 16 位字母，很可能填成了 QQ 密码。"
    return ""


def before_connecting(item: str, credentials, server, protocol: str) -> Finding | None:
    """A failure found without touching the network: no secret to log in with, or a name that never resolves."""
    from mailbot.doctor_net import is_special_use, unresolvable
    from mailbot.doctor_secrets import secret_problem

    problem = secret_problem(credentials)
    if problem is None and is_special_use(server.host):
        problem = unresolvable(server, protocol)
    return Finding(FAIL, item, *problem) if problem else None


def check_inbox(inbox: Inbox) -> Iterator[Finding]:
    """Connect, log in, ID, SELECT and look for IDLE, stopping at the first failure."""
    from mailbot.doctor_net import connect_failure

    item = f"收件邮箱 {inbox.address}（{inbox.server.host}:{inbox.server.port}）"
    early = before_connecting(item, inbox.credentials, inbox.server, "IMAP")
    if early:
        yield early
        return
    try:
        password = inbox.credentials.read_password()
        with translate_errors("连接", inbox.server):
            client = connect_client(inbox.server)
    except MailbotError as exc:
        yield Finding(FAIL, item, *connect_failure(exc, inbox.server, "IMAP"))
        return
    box = Mailbox(client, inbox.server, inbox.address)
    try:
        yield from _inbox_session(box, inbox, password, item)
    finally:
        box.close()


def _inbox_session(box: Mailbox, inbox: Inbox, password: str, item: str) -> Iterator[Finding]:
    try:
        with translate_errors("登录", inbox.server):
            box.client.login(inbox.credentials.username, password)
    except MailboxError as exc:
        yield Finding(FAIL, item, f"登录被拒绝：{exc}", " ".join(filter(None, (secret_hint(inbox.address, password), provider_advice(inbox.address)))))
        return
    yield Finding(PASS, item, "连接并登录成功")
    yield from _id_and_select(box, inbox, item)


def _id_and_select(box: Mailbox, inbox: Inbox, item: str) -> Iterator[Finding]:
    if not box.client.has_capability("ID"):
        yield Finding(WARN, item, "服务器不支持 ID 命令", "网易邮箱要求客户端先发送 ID；其他服务商一般无影响。")
    try:
        box.send_id(CLIENT_ID)
        state = box.select(inbox.folder)
    except MailboxError as exc:
        yield Finding(FAIL, item, f"打开文件夹 {inbox.folder} 失败：{exc}", select_fix(str(exc), inbox.folder))
        return
    yield Finding(PASS, item, f"ID 已发送，文件夹 {inbox.folder} 可读（{state.exists} 封邮件）")
    if box.client.has_capability("IDLE"):
        yield Finding(PASS, item, "支持 IDLE，新邮件到达即可收取")
    else:
        yield Finding(WARN, item, "服务器不支持 IDLE", "将按设置中的 poll_interval 定时收取，无需处理。")


def select_fix(message: str, folder: str) -> str:
    """Advice for a refused SELECT; NetEase's "Unsafe Login" means the ID command was not accepted."""
    if "unsafe login" in message.lower():
        return ("网易邮箱以“Unsafe Login”拒绝，说明它没有接受客户端的 ID 命令：请确认已在网页版开启 IMAP 服务、使用的是授权密码，"
                "并登录网页版邮箱查看是否有“异常登录”安全提醒，解除后重试。")
    return f"请确认文件夹“{folder}”存在（设置文件中的 folder，收件箱一般为 INBOX）。"


def check_smtp(out: Outgoing) -> Finding:
    """Log in to an office's SMTP account (nothing is sent)."""
    from mailbot.doctor_net import connect_failure

    item = f"发信账号 {out.address}（{out.server.host}:{out.server.port}）"
    early = before_connecting(item, out.credentials, out.server, "SMTP")
    if early:
        return early
    try:
        password = out.credentials.read_password()
        with SmtpConnection(out.server, out.credentials.username, password) as conn:
            conn.client.noop()
    except SmtpAuthFailed as exc:
        return Finding(FAIL, item, str(exc), " ".join(filter(None, (secret_hint(out.address, password), provider_advice(out.address)))))
    except (MailbotError, smtplib.SMTPException, OSError) as exc:
        return Finding(FAIL, item, *connect_failure(exc, out.server, "SMTP"))
    return Finding(PASS, item, "连接并登录成功")


def check_database(ledger) -> Iterator[Finding]:
    """Connect, then compare the recorded schema revision with this program's."""
    from mailbot.ledger import schema

    item = f"数据库 {ledger.engine.url.render_as_string(hide_password=True)}"
    try:
        with ledger.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current, empty = schema.current_revision(ledger.engine), not schema.has_ledger_tables(ledger.engine)
    except SQLAlchemyError as exc:
        yield Finding(FAIL, item, f"无法连接：{exc.__class__.__name__}: {str(exc).splitlines()[0]}",
                      "请检查 --db 或环境变量 MAILBOT_DB 中的地址、数据库服务是否已启动、用户名与密码。")
        return
    head = schema.scripts().get_current_head()
    if current == head:
        yield Finding(PASS, item, f"连接成功，结构版本 {current} 为最新")
    elif current is None and empty:
        yield Finding(WARN, item, "连接成功，数据库尚未建表", "请运行 mailbot db upgrade（首次启动时也会自动建表）。")
    else:
        yield Finding(FAIL, item, f"结构版本为 {current or '无版本记录（0.1.0）'}，本程序需要 {head}", "请先备份数据库，再运行 mailbot db upgrade。")


def check_roster(path, ledger, ready: bool, categories: tuple[str, ...] | None = None) -> Iterator[Finding]:
    """The roster file reads cleanly; the ledger's roster has units, and who lacks an address."""
    from mailbot.ledger.models import UnitRow
    from mailbot.ledger.roster_io import read_roster_file
    from routing.errors import RosterError

    try:
        units = read_roster_file(path, categories)
    except RosterError as exc:
        yield Finding(FAIL, f"名册文件 {path}", str(exc), "请按 README 中名册的列名修改后重新导入（mailbot roster import）。")
        return
    yield Finding(PASS, f"名册文件 {path}", f"可读，共 {len(units)} 个单位")
    if ready:
        with ledger.session() as s:
            count = s.scalar(select(func.count()).select_from(UnitRow).where(UnitRow.active.is_(True)))
            silent = sum(1 for emails in s.scalars(select(UnitRow.emails).where(UnitRow.active.is_(True))) if not emails)
        if not count:  # App imports the roster file into an empty ledger on first use
            yield Finding(WARN, "台账中的名册", "尚未导入", f"首次运行时将自动导入 {path}；也可先运行 mailbot roster import。")
            return
        yield Finding(PASS, "台账中的名册", f"共 {count} 个单位，其中 {silent} 个未登记邮箱（只能电话催报）")


def check_campaign(path) -> Finding:
    """The campaign file loads: offices and forms."""
    from mailbot.config import load_campaign

    try:
        campaign = load_campaign(path)
    except MailbotError as exc:
        return Finding(FAIL, f"活动配置 {path}", str(exc), "请检查活动配置文件的路径（--campaign 或 MAILBOT_CAMPAIGN）和内容。")
    return Finding(PASS, f"活动配置 {path}", f"可读：{len(campaign.offices)} 个办公室，{len(campaign.forms)} 种报表")
