"""A thin, honest IMAP mailbox over imapclient: login with ID, UIDs above a mark, partial fetch, move, IDLE."""

from __future__ import annotations

import imaplib
import logging
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient import exceptions as imap_exceptions

from mailbot.errors import MailbotError, PermanentFailure, TemporaryFailure
from mailbot.mail.imap_fetch import FetchedMessage, fetch_messages
from mailbot.settings import Server
from parsers.mail.mimetext import decode_header_text

log = logging.getLogger(__name__)
# imaplib refuses a response line over 1 MB and leaves the connection in the middle of a reply; the BODYSTRUCTURE of a
# message with thousands of parts is longer than that. 64 MB still bounds what one line may cost.
imaplib._MAXLINE = max(imaplib._MAXLINE, 64 * 1024 * 1024)

# RFC 2971 ID: NetEase (126/163) refuses SELECT with "Unsafe Login" until a client names itself.
CLIENT_ID = {"name": "liangyou-mailbot", "version": "0.1.0", "vendor": "liangyou-mailbot", "os": "linux"}


class MailboxError(MailbotError):
    """An IMAP operation failed."""


class MailboxUnavailable(MailboxError, TemporaryFailure):
    """The server cannot be reached or dropped us (refused, timeout, BYE): reconnect with backoff."""


class MailboxAuthFailed(MailboxError, PermanentFailure):
    """The server refused the login (a wrong or revoked 授权码): alert the operator, back off for long."""


class MailboxRefused(MailboxError, PermanentFailure):
    """The server answered NO or BAD to a command (e.g. NetEase's "Unsafe Login" on SELECT)."""


@contextmanager
def translate_errors(action: str, server: Server) -> Iterator[None]:
    """Wrap imapclient, imaplib and socket errors into the mailbox error tree."""
    where = f"{server.host}:{server.port}"
    try:
        yield
    except imap_exceptions.LoginError as exc:
        raise MailboxAuthFailed(f"邮箱服务器 {where} 拒绝登录（请核对账号与授权码）：{exc}") from exc
    except (imaplib.IMAP4.abort, OSError) as exc:
        raise MailboxUnavailable(f"邮箱服务器 {where} 暂时无法访问（{action}）：{exc}") from exc
    except imaplib.IMAP4.error as exc:
        raise MailboxRefused(f"邮箱服务器 {where} 拒绝了操作（{action}）：{exc}") from exc


@dataclass(frozen=True)
class FolderState:
    """What SELECT reported: the folder's UIDVALIDITY and next UID."""

    name: str
    uidvalidity: int
    uidnext: int | None
    exists: int


def connect_client(server: Server) -> IMAPClient:
    """An unauthenticated imapclient connection (SSL, STARTTLS, or plain for loopback tests)."""
    context = ssl.create_default_context()
    client = IMAPClient(server.host, port=server.port, ssl=server.security == "ssl",
                        ssl_context=context, timeout=server.timeout)
    if server.security == "starttls":
        client.starttls(context)
    return client


class Mailbox:
    """One logged-in IMAP session; every method raises only MailboxError subclasses."""

    def __init__(self, client: IMAPClient, server: Server, username: str) -> None:
        self.client, self.server, self.username = client, server, username
        self.selected: FolderState | None = None

    @classmethod
    def open(cls, server: Server, username: str, password: str, *, client_id: dict | None = None) -> Mailbox:
        """Connect, log in, and send ID at once (before any SELECT)."""
        with translate_errors("登录", server):
            client = connect_client(server)
            client.login(username, password)
        mailbox = cls(client, server, username)
        mailbox.send_id(client_id or CLIENT_ID)
        return mailbox

    def send_id(self, fields: dict[str, str]) -> dict[str, str]:
        """RFC 2971 ID; returns the server's answer as a dict (imapclient gives a tuple of byte pairs)."""
        if not self.client.has_capability("ID"):
            log.info("server %s offers no ID command", self.server.host)
            return {}
        with translate_errors("ID", self.server):
            answer = self.client.id_(fields)
        return decode_id_answer(answer)

    def select(self, folder: str = "INBOX") -> FolderState:
        """SELECT a folder read-write and report its UIDVALIDITY."""
        with translate_errors(f"选择文件夹 {folder}", self.server):
            info = self.client.select_folder(folder)
        self.selected = FolderState(folder, int(info[b"UIDVALIDITY"]), info.get(b"UIDNEXT"), int(info.get(b"EXISTS", 0)))
        self.take_pending_news()  # SELECT's own EXISTS is not news
        return self.selected

    def take_pending_news(self) -> bool:
        """Whether EXISTS/RECENT came with an earlier command's answer (and forget it)."""
        # A server reports new mail once: if it arrived during a pass, IDLE will not hear of it again.
        # imaplib keeps such unsolicited lines in untagged_responses; imapclient offers no public view.
        pending = self.client._imap.untagged_responses
        return bool(pending.pop("EXISTS", None)) | bool(pending.pop("RECENT", None))

    def list_uids_after(self, last_uid: int) -> list[int]:
        """UIDs above ``last_uid`` in the selected folder, ascending (search by UID, never by text)."""
        with translate_errors("列出新邮件", self.server):
            uids = self.client.search(["UID", f"{last_uid + 1}:*"])
        # "n:*" always matches the highest UID, even one below n (RFC 3501 6.4.8).
        return sorted(uid for uid in uids if uid > last_uid)

    def fetch_new(self, last_uid: int, *, batch: int = 50, whole_below: int = 2 * 1024 * 1024,
                  max_part_bytes: int = 10 * 1024 * 1024) -> Iterator[FetchedMessage]:
        """Messages above ``last_uid``, fetched in batches; large ones only in the parts worth reading."""
        if self.selected is None:
            raise MailboxRefused("尚未选择文件夹，无法收取邮件。")
        yield from self.fetch_uids(self.list_uids_after(last_uid), batch=batch, whole_below=whole_below, max_part_bytes=max_part_bytes)

    def fetch_uids(self, uids: list[int], *, batch: int = 50, whole_below: int = 2 * 1024 * 1024,
                   max_part_bytes: int = 10 * 1024 * 1024) -> Iterator[FetchedMessage]:
        """The given messages, fetched in batches; large ones only in the parts worth reading."""
        if self.selected is None:
            raise MailboxRefused("尚未选择文件夹，无法收取邮件。")
        for start in range(0, len(uids), batch):
            with translate_errors("收取邮件", self.server):
                fetched = fetch_messages(self.client, uids[start:start + batch], self.selected,
                                         whole_below=whole_below, max_part_bytes=max_part_bytes)
            yield from fetched

    def list_folders(self) -> list[tuple[tuple[bytes, ...], str]]:
        """(flags, decoded name) of every folder."""
        with translate_errors("列出文件夹", self.server):
            return [(flags, name) for flags, _delim, name in self.client.list_folders()]

    def find_folder(self, flag: bytes, names: Iterable[str] = ()) -> str | None:
        """A special folder by its SPECIAL-USE/XLIST flag, else by one of its usual (decoded) names."""
        folders = self.list_folders()
        for flags, name in folders:
            if flag.lower() in (f.lower() for f in flags):
                return name
        wanted = {n.lower() for n in names}
        return next((name for _flags, name in folders if name.lower() in wanted), None)

    def ensure_folder(self, name: str) -> str:
        """Create a folder (Chinese names go out as modified UTF-7) unless it exists."""
        with translate_errors(f"创建文件夹 {name}", self.server):
            if not self.client.folder_exists(name):
                self.client.create_folder(name)
        return name

    def move_messages(self, uids: list[int], folder: str) -> None:
        """Move messages out of the selected folder: MOVE, else COPY + \\Deleted + EXPUNGE."""
        with translate_errors(f"移动邮件到 {folder}", self.server):
            if self.client.has_capability("MOVE"):
                self.client.move(uids, folder)
                return
            self.client.copy(uids, folder)
            self.client.add_flags(uids, [b"\\Deleted"])
            self.expunge_messages(uids)

    def expunge_messages(self, uids: list[int]) -> None:
        """Expunge only these messages when UIDPLUS allows, else every \\Deleted one."""
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge(uids)
        else:
            self.client.expunge()

    def flag_messages(self, uids: list[int], flags: Iterable[bytes | str]) -> None:
        """Add flags (e.g. \\Seen, $Processed) to messages in the selected folder."""
        with translate_errors("标记邮件", self.server):
            self.client.add_flags(uids, list(flags))

    def wait_for_change(self, timeout: float, *, sleep: Callable[[float], None] = time.sleep,
                        stop: threading.Event | None = None, tick: float = 1.0) -> bool:
        """Wait for new mail: IDLE when offered (True on EXISTS/RECENT), else sleep and NOOP (always True)."""
        if self.take_pending_news():
            return True
        if not self.client.has_capability("IDLE"):
            (stop.wait if stop is not None else sleep)(timeout)
            with translate_errors("NOOP", self.server):
                self.client.noop()
            return True
        with translate_errors("IDLE", self.server):
            self.client.idle()
            try:
                # News that came with the IDLE continuation is read by idle_done below.
                responses = [] if self._already_read() else self._idle_until(time.monotonic() + timeout, stop, tick)
            finally:
                _text, more = self.client.idle_done()
        return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in list(responses) + list(more))

    def _already_read(self) -> bool:
        """Whether lines from the server wait in imaplib's read buffer (or the TLS layer's), unseen by a socket poll."""
        # A server reports mail that arrived since our last command right after "+ idling", often in the same
        # packet. imaplib read that packet whole into its buffered file; imapclient's idle_check polls the socket,
        # which has nothing more to say, so the message would wait for idle_timeout (seen on dovecot, under load).
        sock = self.client.socket()
        sock.setblocking(False)
        try:
            return bool(self.client._imap.file.peek(1))
        except (BlockingIOError, ssl.SSLWantReadError):
            return False
        finally:
            sock.setblocking(True)
            self.client._set_read_timeout()

    def _idle_until(self, deadline: float, stop: threading.Event | None, tick: float) -> list:
        # Short checks inside one IDLE, so a stop request is seen within ``tick`` without re-issuing IDLE.
        while True:
            wait = max(min(tick, deadline - time.monotonic()), 0)
            started = time.monotonic()
            responses = self.client.idle_check(timeout=wait)
            if not responses and wait >= 0.2 and time.monotonic() - started < wait / 2:
                # imapclient swallows EOF in idle_check: an early, empty wake-up means the server hung up.
                raise ConnectionResetError("the server closed the connection during IDLE")
            if responses or wait < tick or (stop is not None and stop.is_set()):
                return responses

    def close(self) -> None:
        """Log out, ignoring a connection that is already gone."""
        try:
            self.client.logout()
        except (imaplib.IMAP4.error, OSError):
            log.debug("logout from %s failed; the connection was already gone", self.server.host)

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def decode_id_answer(answer) -> dict[str, str]:
    """The server's ID answer as text pairs (it may be None, or a flat or paired tuple)."""
    if not answer:
        return {}
    items = list(answer)
    if items and not isinstance(items[0], tuple):
        items = list(zip(items[::2], items[1::2]))
    return {decode_header_text(k): decode_header_text(v) for k, v in items}

