"""Site settings from a TOML file: each office's inboxes and SMTP account, the database, poll timing."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailbot.errors import ConfigError, toml_words
from mailbot.intake.parse_child import ParsePolicy
from mailbot.outbox.policy import SendPolicy
from mailbot.secret_files import read_secret_file, warn_if_shared
from parsers.safety.limits import Limits
from routing.stages.sender_auth import DEFAULT_REQUIRED

DEFAULT_PATH = Path("config/settings.toml")
SECURITY = ("ssl", "starttls", "plain")
SECRET_KEYS = ("password", "passwd", "pass", "auth_code", "授权码", "secret")


class SettingsError(ConfigError):
    """The settings file is missing, malformed, or names a secret that cannot be read."""


@dataclass(frozen=True)
class Server:
    """Where to connect: host, port and how the link is secured (ssl, starttls, or plain for loopback tests)."""

    host: str
    port: int
    security: str = "ssl"
    timeout: float = 30.0


@dataclass(frozen=True)
class Credentials:
    """A login name and where its secret lives (an environment variable or a file), never the secret itself."""

    username: str
    password_env: str | None = None
    password_file: str | None = None

    def read_password(self, environ: Mapping[str, str] | None = None) -> str:
        """Read the secret now (env var first, then file); raise SettingsError in Chinese when absent."""
        environ = os.environ if environ is None else environ
        if self.password_env:
            if environ.get(self.password_env):
                return environ[self.password_env]
            raise SettingsError(f"环境变量 {self.password_env} 未设置，无法登录 {self.username}。")
        try:
            return read_secret_file(self.password_file or "")
        except OSError as exc:
            raise SettingsError(f"无法读取 {self.username} 的密码文件 {self.password_file}：{exc.strerror}") from exc


@dataclass(frozen=True)
class Inbox:
    """One IMAP inbox of an office, and the folders messages are moved to after processing."""

    office: str
    server: Server
    credentials: Credentials
    folder: str = "INBOX"
    processed_folder: str = "已处理"
    review_folder: str = "需人工处理"
    quarantine_folder: str = "涉密隔离"
    quarantine_action: str = "move"  # or "delete": a 涉密 message is then removed from the server outright

    @property
    def address(self) -> str:
        """The mailbox's own address (its login name)."""
        return self.credentials.username.lower()


@dataclass(frozen=True)
class Outgoing:
    """An office's SMTP account; receipts are sent From its login address."""

    office: str
    server: Server
    credentials: Credentials

    @property
    def address(self) -> str:
        """The From address: providers refuse any other (QQ 501, 126 553)."""
        return self.credentials.username.lower()


@dataclass(frozen=True)
class Settings:
    """Everything site-specific the worker needs."""

    database_url: str | None = field(default=None, repr=False)  # --db and MAILBOT_DB come first (mailbot.config)
    campaign: str = ""  # the campaign folder this deployment runs (mailbot.config.campaign_path reads it)
    poll_interval: float = 90.0
    idle_timeout: float = 600.0
    lock_retry: float = 15.0  # seconds before a worker tries again an inbox another worker holds (PostgreSQL)
    fetch_whole_below: int = 2 * 1024 * 1024
    max_part_bytes: int = 10 * 1024 * 1024  # encoded size; peak RSS is ~8x this while decoding
    inboxes: tuple[Inbox, ...] = ()
    outgoing: Mapping[str, Outgoing] = field(default_factory=dict)
    coordinators: Mapping[str, str] = field(default_factory=dict)  # office → the coordinator's address for alerts and digests
    trusted_auth: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results are believed (e.g. mx.qq.com)
    auth_required_domains: tuple[str, ...] = DEFAULT_REQUIRED  # From domains that count only with an aligned pass
    auth_public_suffixes: tuple[str, ...] = ()  # public suffixes beyond routing.stages.domains' embedded list
    sending: Mapping[str, Any] = field(default_factory=dict)  # SendPolicy overrides: min_interval, daily_cap, …
    limits: Mapping[str, Any] = field(default_factory=dict)  # parsers.Limits overrides: max_bytes, max_rows, …
    web: Mapping[str, Any] = field(default_factory=dict)  # the dashboard: https, proxy_hops, session_hours, login throttling
    parse_ahead: bool = True  # gate and parsers in a supervised child process (mailbot.intake.parse_child)
    parse_timeout: float = ParsePolicy.timeout  # seconds one message's attachments may take there
    parse_memory_mb: int = ParsePolicy.memory_mb  # the child's address-space limit
    reminders: Mapping[str, Any] = field(default_factory=dict)  # the operator's [reminders]: over the campaign's defaults

    @property
    def parse_limits(self):
        """The attachment size and shape limits, with this site's overrides."""
        try:
            return Limits(**self.limits)
        except TypeError as exc:
            raise SettingsError(f"配置文件 [limits] 中有无法识别的项：{exc}") from exc

    @property
    def parse_policy(self):
        """The parse child's time and memory limits."""
        return ParsePolicy(timeout=float(self.parse_timeout), memory_mb=int(self.parse_memory_mb))

    @property
    def send_policy(self):
        """The outbox's pacing and retry policy, with this site's overrides."""
        spans = {"per_recipient", "per_recipient_max", "lease", "first_retry", "max_retry", "rate_pause", "auth_pause"}
        values = {k: dt.timedelta(seconds=v) if k in spans else v for k, v in self.sending.items()}
        if "content_retries" in values:  # seconds to wait after each refusal of the content as spam
            values["content_retries"] = tuple(dt.timedelta(seconds=float(v)) for v in values["content_retries"])
        return SendPolicy(**values)


def find_settings_path(option: str | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The settings file to use: ``--settings``, else $MAILBOT_SETTINGS, else config/settings.toml if present."""
    environ = os.environ if environ is None else environ
    chosen = option or environ.get("MAILBOT_SETTINGS")
    if chosen:
        return Path(chosen)
    return DEFAULT_PATH if DEFAULT_PATH.exists() else None


def load_settings(path: str | os.PathLike) -> Settings:
    """Read and check a settings file."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"无法读取配置文件 {path}：{exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"配置文件 {path} 格式错误：{toml_words(exc)}") from exc
    refuse_secrets(data, where=str(path))
    return build_settings(data)


def refuse_secrets(data: Any, where: str) -> None:
    """Reject a password written into the file itself, wherever it sits."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key.lower() in SECRET_KEYS:
                raise SettingsError(
                    f"配置文件 {where} 中不得直接填写密码（{key}）。"
                    "请改用 password_env（环境变量名）或 password_file（密码文件路径）。"
                )
            refuse_secrets(value, f"{where} [{key}]")
    elif isinstance(data, list):
        for item in data:
            refuse_secrets(item, where)


def build_settings(data: dict[str, Any]) -> Settings:
    """Settings from the parsed TOML tables."""
    offices = data.get("offices", {})
    inboxes = tuple(build_inbox(key, table) for key, office in offices.items() for table in office.get("inboxes", []))
    outgoing = {key: build_outgoing(key, office["smtp"]) for key, office in offices.items() if "smtp" in office}
    scalars = ("campaign", "database_url", "poll_interval", "idle_timeout", "lock_retry", "fetch_whole_below", "max_part_bytes", "parse_ahead", "parse_timeout", "parse_memory_mb")
    known = {k: data[k] for k in scalars if k in data}
    coordinators = {key: office["coordinator"] for key, office in offices.items() if office.get("coordinator")}
    auth = {k: tuple(str(d).lower() for d in data[k]) for k in ("auth_required_domains", "auth_public_suffixes") if k in data}
    return Settings(inboxes=inboxes, outgoing=outgoing, coordinators=coordinators,
                    trusted_auth=tuple(data.get("trusted_auth", ())), sending=dict(data.get("sending", {})),
                    limits=dict(data.get("limits", {})), web=dict(data.get("web", {})),
                    reminders=dict(data.get("reminders", {})), **auth, **known)


def build_inbox(office: str, table: dict[str, Any]) -> Inbox:
    """One [[offices.X.inboxes]] table."""
    folders = {k: table[k] for k in ("folder", "processed_folder", "review_folder", "quarantine_folder", "quarantine_action") if k in table}
    if folders.get("quarantine_action", "move") not in ("move", "delete"):
        raise SettingsError(f"科室 {office} 的 quarantine_action 只能是 move（移入隔离文件夹）或 delete（从服务器删除）。")
    return Inbox(office=office, server=build_server(office, table), credentials=build_credentials(office, table), **folders)


def build_outgoing(office: str, table: dict[str, Any]) -> Outgoing:
    """One [offices.X.smtp] table."""
    return Outgoing(office=office, server=build_server(office, table), credentials=build_credentials(office, table))


def build_server(office: str, table: dict[str, Any]) -> Server:
    """Host, port and security of a table, checked."""
    security = table.get("security", "ssl")
    if security not in SECURITY:
        raise SettingsError(f"科室 {office} 的 security 只能是 ssl、starttls 或 plain，而不是 {security!r}。")
    if not table.get("host") or not isinstance(table.get("port"), int):
        raise SettingsError(f"科室 {office} 的邮箱配置缺少 host 或 port（端口须为整数）。")
    return Server(host=table["host"], port=table["port"], security=security, timeout=float(table.get("timeout", 30)))


def build_credentials(office: str, table: dict[str, Any]) -> Credentials:
    """Username and exactly one secret source."""
    username = table.get("username")
    sources = [k for k in ("password_env", "password_file") if table.get(k)]
    if not username or len(sources) != 1:
        raise SettingsError(f"科室 {office} 的邮箱配置须有 username，且 password_env 与 password_file 二者恰好填写其一。")
    if table.get("password_file"):
        warn_if_shared(Path(table["password_file"]))  # once per load, not on every login
    return Credentials(username=username, password_env=table.get("password_env"), password_file=table.get("password_file"))
