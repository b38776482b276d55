"""A whole local desk for tests: dovecot holding the offices' and departments' mailboxes, an SMTP server, settings."""

from __future__ import annotations

import contextlib
import textwrap
from dataclasses import dataclass
from pathlib import Path

from mailbot.app import App
from tests.support.servers import Dovecot, SmtpSink

OFFICES = {"bianban": "794605082@qq.com", "zwfw": "xamzfw@126.com"}


def password_of(user: str) -> str:
    """Every dovecot user of the test server has the password pw-<user>."""
    return f"pw-{user}"


def settings_text(dovecot: Dovecot, sink: SmtpSink, secrets: Path, extra: str = "") -> str:
    """A settings file pointing both offices at the local servers, secrets in files."""
    parts = [f'fetch_whole_below = 2097152\n{extra}']
    for key, address in OFFICES.items():
        secret = secrets / f"{key}.secret"
        secret.write_text(password_of(address), encoding="utf-8")
        parts.append(textwrap.dedent(f"""
            [[offices.{key}.inboxes]]
            host = "{dovecot.host}"
            port = {dovecot.port}
            security = "plain"
            username = "{address}"
            password_file = "{secret}"

            [offices.{key}.smtp]
            host = "{sink.host}"
            port = {sink.port}
            security = "plain"
            username = "{address}"
            password_file = "{secret}"
        """))
    return "\n".join(parts)


@dataclass
class Desk:
    """The servers and the app wired to them."""

    dovecot: Dovecot
    sink: SmtpSink
    app: App
    settings_file: Path

    def send(self, raw: bytes, to: str) -> int:
        """A department's message arriving in an office inbox; returns its UID."""
        return self.dovecot.append(to, raw)

    def mailbox_of(self, user: str, folder: str = "INBOX") -> list[bytes]:
        """What a user finds in a folder."""
        return list(self.dovecot.read_mailbox(user, folder).values())


def make_desk(dovecot: Dovecot, tmp_path: Path, db_url: str, extra: str = "") -> Desk:
    """Office users, an SMTP server with their logins, a settings file and an App."""
    for address in OFFICES.values():
        dovecot.add_user(address)
    sink = SmtpSink(dovecot=dovecot, users={a: password_of(a) for a in OFFICES.values()})
    sink.start()
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(dovecot, sink, tmp_path, extra), encoding="utf-8")
    return Desk(dovecot, sink, App(db=db_url, settings_file=str(path)), path)


@contextlib.contextmanager
def running_desk(dovecot: Dovecot, tmp_path: Path, db_url: str, extra: str = ""):
    """make_desk for the length of a with-block: the SMTP server stopped and the ledger closed afterwards."""
    made = make_desk(dovecot, tmp_path, db_url, extra)
    try:
        yield made
    finally:
        made.sink.stop()
        made.app.ledger.dispose()
