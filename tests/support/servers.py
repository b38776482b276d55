"""Throwaway mail servers on loopback for tests: Debian's dovecot (IMAP) and an aiosmtpd sink delivering into it.

The sink answers as scripted with ``fail_next(stage, reply)``. Besides SMTP replies, DATA takes misbehaviour after the
final dot, written as replies that are not replies:
  "!late N"  deliver, then answer 250 only after N seconds (after the client's timeout: a late 250);
  "!drop"    deliver, then close the connection without answering;
  "!lost"    close the connection without answering and without delivering (the server died at the dot).
With ``save_sent`` every delivered mail is also stored in the sender's "Sent Messages" folder, as QQ and 126 do.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"
LOOPBACK = "127.0.0.1"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = no
# Plain LOGIN/AUTH over loopback only: the tests never leave 127.0.0.1.
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
imap_id_log = *
# Refused logins answer at once (the default waits 2 s).
auth_failure_delay = 0
# Every user exists, with password "pw-<user>": a passwd-file is reread at most once a second,
# too slow for tests that add users as they go.
passdb {{
  driver = static
  args = password=pw-%u
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  # SPECIAL-USE flags as QQ names them, so folder lookup by flag is exercised.
  mailbox "Sent Messages" {{
    auto = create
    special_use = \\Sent
  }}
  mailbox Junk {{
    auto = create
    special_use = \\Junk
  }}
}}
protocol imap {{
  # The raw session log shows the order of commands (ID before SELECT).
  rawlog_dir = {root}/rawlog/%u
}}
"""


def find_free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, up: bool, deadline: float = 15.0) -> None:
    """Block until the port accepts (or refuses) connections; raise after the deadline."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            socket.create_connection((LOOPBACK, port), timeout=0.5).close()
            if up:
                return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} did not come {'up' if up else 'down'}")


def list_live_members(group: int) -> list[int]:
    """Pids of the process group that are still running (zombies wait for init and do not count)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            live.append(int(stat.parent.name))
    return live


def wait_for_group_gone(group: int, deadline: float = 15.0) -> None:
    """Block until no process of this process group is running any more."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if not list_live_members(group):
            return
        time.sleep(0.01)
    raise RuntimeError(f"dovecot processes of group {group} did not exit")


def dovecot_missing_reason() -> str | None:
    """Why the dovecot fixtures cannot run here, or None."""
    if not os.path.exists(DOVECOT):
        return "dovecot is not installed (apt-get install dovecot-imapd)"
    if os.geteuid() == 0:
        for name in ("dovecot", "dovenull"):
            try:
                pwd.getpwnam(name)
            except KeyError:
                return f"running as root needs the system user {name!r} (Debian's dovecot-core creates it)"
    return None


def service_users() -> dict[str, str]:
    """Unprivileged users for dovecot's processes: Debian's own when root, else the current user."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        group = me.pw_gid
        return dict(internal_user=me.pw_name, internal_group=str(group), login_user=me.pw_name,
                    mail_user=me.pw_name, mail_group=str(group))
    # Dovecot refuses to run login processes or mail access as root.
    return dict(internal_user="dovecot", internal_group="dovecot", login_user="dovenull",
                mail_user="dovecot", mail_group="dovecot")


@dataclass
class Dovecot:
    """A dovecot instance owned by a test: its own config, users, maildirs and log under ``root``."""

    root: Path
    port: int = field(default_factory=find_free_port)
    host: str = LOOPBACK
    process: subprocess.Popen | None = None
    passwords: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls) -> Dovecot:
        """Prepare a fresh instance in a new temporary directory (not started)."""
        # Short path (unix socket names are limited) and traversable by dovecot's unprivileged users.
        root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        root.chmod(0o755)
        server = cls(root=root)
        server.write_config()
        return server

    def write_config(self) -> None:
        """Write dovecot.conf and the directories it names."""
        users = service_users()
        for sub in ("run", "state", "mail", "rawlog"):
            (self.root / sub).mkdir(exist_ok=True)
        for sub in ("mail", "rawlog"):
            shutil.chown(self.root / sub, users["mail_user"], users["mail_group"])
        text = CONFIG.format(root=self.root, host=self.host, port=self.port, **users)
        (self.root / "dovecot.conf").write_text(text)

    @property
    def log_path(self) -> Path:
        """dovecot's log file (logins, client IDs, errors)."""
        return self.root / "dovecot.log"

    def read_log(self) -> str:
        """The whole log so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def read_rawlog(self, user: str) -> str:
        """Every command clients sent as this user, in order, across sessions."""
        files = sorted((self.root / "rawlog" / user).glob("*.in"))
        return "".join(f.read_text(errors="replace") for f in files)

    def start(self) -> None:
        """Start dovecot in the foreground of a child process and wait for the port."""
        conf = str(self.root / "dovecot.conf")
        # A session of its own, so stop() can end the master and every child it forked.
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", conf], stdout=subprocess.DEVNULL,
                                        stderr=open(self.root / "stderr.txt", "ab"), start_new_session=True)
        try:
            wait_for_port(self.port, up=True)
        except RuntimeError:
            self.stop()
            raise RuntimeError("dovecot did not start:\n" + self.read_log()) from None

    def stop(self) -> None:
        """Stop the server and every process it started (open IMAP sessions too), then wait for the port to close."""
        if self.process is None:
            return
        group = self.process.pid  # the session leader's pid is the process group id
        os.killpg(group, signal.SIGKILL)
        self.process.wait()
        self.process = None
        wait_for_group_gone(group)
        wait_for_port(self.port, up=False)

    def restart(self) -> None:
        """Stop and start again on the same port with the same data."""
        self.stop()
        self.start()

    def destroy(self) -> None:
        """Stop and remove every file."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def add_user(self, user: str) -> str:
        """Register a mailbox for the helpers (the static passdb accepts any user); return its password."""
        password = self.passwords[user] = f"pw-{user}"
        rawlog = self.root / "rawlog" / user
        rawlog.mkdir(exist_ok=True)
        users = service_users()
        shutil.chown(rawlog, users["mail_user"], users["mail_group"])
        return password

    def connect(self, user: str) -> IMAPClient:
        """A logged-in imapclient session as ``user`` (the test's own view, not the code under test)."""
        client = IMAPClient(self.host, port=self.port, ssl=False, timeout=10)
        client.login(user, self.passwords[user])
        return client

    def append(self, user: str, raw: bytes, folder: str = "INBOX", flags: tuple = ()) -> int:
        """APPEND raw message bytes into a user's folder (created if missing); return the new UID."""
        with self.connect(user) as client:
            if folder != "INBOX" and not client.folder_exists(folder):
                client.create_folder(folder)
            reply = client.append(folder, raw, flags=flags)
        # Dovecot answers with UIDPLUS: b'[APPENDUID <validity> <uid>] Append completed.'
        return int(reply.split(b"]")[0].split()[-1])

    def read_mailbox(self, user: str, folder: str = "INBOX") -> dict[int, bytes]:
        """Every message in a user's folder by UID, without marking anything seen."""
        with self.connect(user) as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            data = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
        return {uid: item[b"BODY[]"] for uid, item in data.items()}

    def list_folders(self, user: str) -> list[str]:
        """Decoded folder names of a user."""
        with self.connect(user) as client:
            return [name for _flags, _sep, name in client.list_folders()]


@dataclass
class Received:
    """One message the SMTP sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None


class SinkHandler:
    """aiosmtpd handler: records, delivers into dovecot, or answers with a scripted failure."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 (aiosmtpd hook)
        """Scripted MAIL FROM reply, else accept."""
        envelope.mail_from, envelope.mail_options = address, mail_options
        return self.sink.take_fault("MAIL") or "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        """Scripted RCPT TO reply, else accept."""
        fault = self.sink.take_fault("RCPT")
        if not fault:
            envelope.rcpt_tos.append(address)
        return fault or "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        """Scripted DATA reply or misbehaviour (late 250, drop after the dot, mail lost), else record and deliver."""
        fault = self.sink.take_fault("DATA")
        if not fault:
            return self._deliver(session, envelope)
        if not fault.startswith("!"):
            return fault
        if fault.startswith("!late"):
            self._deliver(session, envelope)
            await asyncio.sleep(float(fault.split()[1]))
            return "250 Message accepted for delivery"
        if fault == "!drop":
            self._deliver(session, envelope)
        server.transport.abort()
        return "250 never heard"  # written to a closed transport: the client hears nothing

    def _deliver(self, session, envelope) -> str:
        login = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
        self.sink.deliver(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login))
        if self.sink.save_sent and self.sink.dovecot is not None:
            self.sink.dovecot.append(login or envelope.mail_from, envelope.content, folder="Sent Messages")
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    """An aiosmtpd server on loopback that drops each message into the recipients' dovecot mailboxes."""

    dovecot: Dovecot | None = None
    users: dict[str, str] = field(default_factory=dict)  # login -> password, when AUTH is required
    port: int = field(default_factory=find_free_port)
    host: str = LOOPBACK
    received: list[Received] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: object | None = None
    save_sent: bool = False  # also store each delivered mail in the sender's "Sent Messages" (QQ's and 126's habit)

    def start(self) -> None:
        """Listen (AUTH LOGIN/PLAIN over plain loopback when ``users`` is set)."""
        from aiosmtpd.controller import Controller

        auth = dict(authenticator=self.authenticate, auth_required=True, auth_require_tls=False) if self.users else {}
        with warnings.catch_warnings():
            # AUTH without TLS is the point here: plain loopback, like the worker's tests of 授权码 logins.
            warnings.simplefilter("ignore", UserWarning)
            self.controller = Controller(SinkHandler(self), hostname=self.host, port=self.port, **auth)
            self.controller.start()

    def stop(self) -> None:
        """Stop listening: new connections are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        """aiosmtpd authenticator over ``users``."""
        from aiosmtpd.smtp import AuthResult, LoginPassword

        ok = isinstance(auth_data, LoginPassword) and self.users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def fail_next(self, stage: str, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` MAIL/RCPT/DATA commands with ``reply`` (e.g. '451 MI:SFQ ...')."""
        with self.lock:
            self.faults.setdefault(stage, []).extend([reply] * times)

    def take_fault(self, stage: str) -> str | None:
        """Pop the next scripted reply for a stage."""
        with self.lock:
            queue = self.faults.get(stage) or []
            return queue.pop(0) if queue else None

    def deliver(self, message: Received) -> None:
        """Record the message and APPEND it to each recipient that is a dovecot user."""
        with self.lock:
            self.received.append(message)
        if self.dovecot is None:
            return
        for rcpt in message.rcpt_tos:
            if rcpt.lower() in self.dovecot.passwords:
                self.dovecot.append(rcpt.lower(), message.data)
