"""Look for an outgoing mail in the office's Sent folder over IMAP, by its Message-ID, before anyone resends it."""

from __future__ import annotations

from mailbot.errors import MailbotError
from mailbot.mail.imap import Mailbox, translate_errors
from mailbot.settings import Inbox, Settings

# QQ says "Sent Messages", NetEase "已发送"; SPECIAL-USE \Sent is asked first (mailbot.mail.imap.Mailbox.find_folder).
SENT_NAMES = ("Sent Messages", "已发送", "Sent", "Sent Items", "已发送邮件")


class SentCheckUnavailable(MailbotError):
    """The Sent folder cannot be searched (no inbox configured for the office, no such folder, server unreachable)."""


def sent_inbox(settings: Settings | None, office: str) -> Inbox:
    """The office's mailbox that holds what its SMTP account sent (the inbox logged in as the same account)."""
    inboxes = [i for i in (settings.inboxes if settings else ()) if i.office == office]
    login = settings.outgoing[office].address if settings and office in settings.outgoing else None
    chosen = next((i for i in inboxes if i.address == login), inboxes[0] if inboxes else None)
    if chosen is None:
        raise SentCheckUnavailable("设置文件中没有该办公室的收件邮箱，无法查看其“已发送”文件夹")
    return chosen


def find_in_sent(inbox: Inbox, message_id: str) -> bool:
    """Whether a message with this Message-ID is in the mailbox's Sent folder (providers keep SMTP-sent mail there)."""
    try:
        with Mailbox.open(inbox.server, inbox.credentials.username, inbox.credentials.read_password()) as box:
            folder = box.find_folder(b"\\Sent", SENT_NAMES)
            if folder is None:
                raise SentCheckUnavailable(f"邮箱 {inbox.address} 中找不到“已发送”文件夹")
            with translate_errors("查找已发送邮件", inbox.server):
                box.client.select_folder(folder, readonly=True)
                return bool(box.client.search(["HEADER", "Message-ID", message_id]))
    except SentCheckUnavailable:
        raise
    except MailbotError as exc:
        raise SentCheckUnavailable(f"无法查看邮箱 {inbox.address} 的“已发送”文件夹：{exc}") from exc
