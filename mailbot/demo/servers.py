"""Throwaway mail servers on loopback for the demo: pymap's in-memory IMAP server and an aiosmtpd sink."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
from argparse import Namespace
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from imapclient import IMAPClient

from mailbot.errors import MailbotError

LOOPBACK = "127.0.0.1"


class LocalMailUnavailable(MailbotError):
    """The local IMAP or SMTP server could not start."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class LocalImap:
    """pymap's in-memory ("dict") backend in a thread of its own, serving the given users on loopback."""

    def __init__(self, users: dict[str, str]) -> None:
        self.users, self.host, self.port = dict(users), LOOPBACK, free_port()
        self._ready, self._error = threading.Event(), None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="local-imap", daemon=True)

    def start(self, timeout: float = 10.0) -> LocalImap:
        """Serve, or raise LocalMailUnavailable with the reason."""
        self._thread.start()
        if not self._ready.wait(timeout):
            raise LocalMailUnavailable("本机 IMAP 服务器启动超时")
        if self._error is not None:
            raise LocalMailUnavailable(f"本机 IMAP 服务器无法启动：{self._error}") from self._error
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        if self._loop is not None and self._stopped is not None:
            self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except Exception as exc:  # anything pymap raises while starting: the demo falls back
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        from pymap.backend.dict import DictBackend
        from pymap.imap import IMAPService
        from pymap.user import Passwords, UserMetadata
        from pysasl.hashing import Cleartext

        # The options pymap's own command line would give: loopback, plain text (no TLS), no demo data.
        args = Namespace(host=self.host, port=self.port, debug=False, cert=None, key=None, tls=False, passlib_cfg=None,
                         inherited_sockets=None, proxy_protocol=None, demo_data=False, demo_user="", demo_password="")
        # Cleartext: the demo's throwaway passwords need no slow password hash (pbkdf2 costs ~1 s per login).
        backend, config = await DictBackend.init(args, invalid_user_sleep=0.0, reject_dnsbl=False, hash_context=Cleartext())
        config.apply_context()
        for user, password in self.users.items():
            backend.login.users_dict[user] = UserMetadata(config, user, password=await Passwords(config).hash_password(password))
        async with AsyncExitStack() as stack:
            await backend.start(stack)
            await IMAPService(backend, config).start(stack)
            self._loop, self._stopped = asyncio.get_running_loop(), asyncio.Event()
            self._ready.set()
            await self._stopped.wait()

    def append(self, user: str, raw: bytes, when: dt.datetime) -> int:
        """APPEND a message to a user's INBOX, received at ``when``; return its UID."""
        with IMAPClient(self.host, port=self.port, ssl=False, timeout=10) as client:
            client.login(user, self.users[user])
            reply = client.append("INBOX", raw, msg_time=when)
        return int(reply.split(b"]")[0].split()[-1])  # b'[APPENDUID <validity> <uid>] ...'


@dataclass
class Received:
    """One message the SMTP sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class LocalSmtp:
    """An aiosmtpd server on loopback that keeps every message it accepts."""

    host: str = LOOPBACK
    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    controller: object | None = None

    def start(self) -> LocalSmtp:
        """Listen, or raise LocalMailUnavailable."""
        from aiosmtpd.controller import Controller

        try:
            self.controller = Controller(self, hostname=self.host, port=self.port)
            self.controller.start()
        except (OSError, RuntimeError) as exc:
            raise LocalMailUnavailable(f"本机 SMTP 收信端无法启动：{exc}") from exc
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd hook)
        """Keep the message."""
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"
