"""The SMTP transport: send one EmailMessage from the login address, and classify what the server said."""

from __future__ import annotations

import email.utils
import logging
import re
import smtplib
import ssl
from email.message import EmailMessage

from mailbot.errors import MailbotError, PermanentFailure, TemporaryFailure
from mailbot.settings import Server
from parsers.mail.mimetext import decode_header_text

log = logging.getLogger(__name__)

# Unpublished provider limits (QQ, 126/163): these texts mean "slow down for hours", whatever the code says.
RATE_LIMITED = re.compile(r"frequen|rate.?limit|too many|DT:SPM|MI:SFQ|HL:ICC|HL:IFC|RP:TRC|RP:QRC|频率|频繁|超过.*限制", re.I)
# The content, not the sender, was refused (5.7.1 "content considered spam", 垃圾邮件): a plainer variant may pass.
CONTENT_REFUSED = re.compile(r"spam|junk|垃圾|content.{0,20}(?:reject|refus|denied|consider|judg|block)|(?:内容|正文).{0,10}(?:拦截|拒|违规)", re.IGNORECASE)


class SmtpError(MailbotError):
    """Sending failed; ``code`` is the server's reply code (None for a broken connection), ``text`` its words."""

    def __init__(self, message: str, code: int | None = None, text: str = "") -> None:
        super().__init__(message)
        self.code, self.text = code, text


class SmtpTemporary(SmtpError, TemporaryFailure):
    """A 4xx reply or a broken connection: retry with backoff."""


class SmtpRateLimited(SmtpTemporary):
    """The provider's frequency or spam limit (550/554 frequency, DT:SPM, MI:SFQ, HL:ICC): back off for hours."""


class SmtpPermanent(SmtpError, PermanentFailure):
    """A 5xx reply: record the reason, never retry this message as it is."""


class SmtpAuthFailed(SmtpPermanent):
    """The login was refused (a wrong or revoked 授权码): alert the operator."""


class SmtpContentRefused(SmtpPermanent):
    """A 5xx for this mail's content (judged spam): retried over hours in plainer variants, then given up."""


def classify(exc: Exception) -> SmtpError:
    """Our error for an smtplib or socket error (rate limits first, then by reply code)."""
    code, text = reply_of(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SmtpAuthFailed(f"发信服务器拒绝登录（请核对账号与授权码）：{code} {text}", code, text)
    if code is not None and RATE_LIMITED.search(text):
        return SmtpRateLimited(f"发信服务器限制发送频率，须暂停数小时后再发：{code} {text}", code, text)
    if code is not None and 500 <= code < 600 and CONTENT_REFUSED.search(text):
        return SmtpContentRefused(f"发信服务器认为邮件内容像垃圾邮件而拒收：{code} {text}", code, text)
    if code is not None and 500 <= code < 600:
        return SmtpPermanent(f"发信服务器拒绝了邮件：{code} {text}", code, text)
    if code is None:
        return SmtpTemporary(f"发信服务器暂时无法连接：{text}", None, text)
    return SmtpTemporary(f"发信服务器暂时拒绝，稍后重试：{code} {text}", code, text)


def reply_of(exc: Exception) -> tuple[int | None, str]:
    """(reply code, decoded reply text) carried by an smtplib error; GBK texts are decoded too."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, raw = next(iter(exc.recipients.values()))
        return code, decode_header_text(raw)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code, decode_header_text(exc.smtp_error)
    return None, str(exc) or type(exc).__name__


def check_sender(message: EmailMessage, username: str) -> None:
    """Refuse to send From any address but the login one (QQ answers 501, 126 answers 553)."""
    sender = email.utils.parseaddr(str(message.get("From", "")))[1].lower()
    if sender != username.lower():
        raise SmtpPermanent(f"发件人 {sender or '（空）'} 与登录账号 {username} 不一致，邮件服务商会拒收；请把其他地址放在 Reply-To 中。")


class SmtpConnection:
    """One logged-in SMTP session that can send several messages (the outbox sends slowly, in order)."""

    def __init__(self, server: Server, username: str, password: str | None) -> None:
        self.server, self.username = server, username
        try:
            self.client = connect(server)
            if password is not None:
                self.client.login(username, password)
        except (smtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc

    def send(self, message: EmailMessage) -> dict[str, tuple[int, str]]:
        """Send; returns the recipients refused while others were accepted (empty when all went)."""
        check_sender(message, self.username)
        try:
            refused = self.client.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc
        log.info("sent %s via %s", message.get("Message-ID", ""), self.server.host)
        return {rcpt: (code, decode_header_text(text)) for rcpt, (code, text) in refused.items()}

    def close(self) -> None:
        """QUIT, ignoring a connection that is already gone."""
        try:
            self.client.quit()
        except (smtplib.SMTPException, OSError):
            self.client.close()

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def connect(server: Server) -> smtplib.SMTP:
    """An smtplib connection: implicit TLS (465), STARTTLS (587), or plain (loopback tests)."""
    context = ssl.create_default_context()
    if server.security == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    client = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    if server.security == "starttls":
        client.starttls(context=context)
    return client


def send_message(server: Server, username: str, password: str | None, message: EmailMessage) -> dict[str, tuple[int, str]]:
    """Connect, log in, send one message and quit; raises only SmtpError subclasses."""
    check_sender(message, username)
    with SmtpConnection(server, username, password) as connection:
        return connection.send(message)
