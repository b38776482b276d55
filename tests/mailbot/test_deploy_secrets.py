"""Deployment secrets, checked where no Docker engine runs: each service of the compose file gets only the secrets its
command uses (derived from the CLI and the settings files), the example files agree, placeholders are refused, and the
database address is built by SQLAlchemy from separate variables (an "@" in the password works)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from mailbot.errors import ConfigError
from mailbot.ledger.url import database_url
from mailbot.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent.parent
DB_SECRET, WEB_SECRET = "MAILBOT_DB_PASSWORD", "MAILBOT_WEB_SECRET"


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def mailbox_codes() -> set[str]:
    """The variables the site settings (example and dev) name for the mailboxes' codes: the worker's secrets."""
    files = ("settings.example.toml", "settings.dev.toml")
    return {v for f in files for v in re.findall(r'^password_env = "([A-Z_]+)"', (ROOT / "config" / f).read_text(encoding="utf-8"), re.M)}


def needs(command: list[str]) -> set[str]:
    """The secrets a mailbot command reads: from what each command does (mailbot/cli/commands), not from the compose file."""
    from mailbot.cli.main import build_parser

    [top] = build_parser()._subparsers._group_actions
    assert command[0] in top.choices, f"mailbot has no subcommand {command[0]}"
    return {"run": {DB_SECRET} | mailbox_codes(), "serve": {DB_SECRET, WEB_SECRET}, "db": {DB_SECRET}, "dev-seed": set()}[command[0]]


SECRETS = {DB_SECRET, WEB_SECRET} | mailbox_codes()


@pytest.mark.parametrize("service", ["migrate", "worker", "web", "dev-seed"])
def test_each_service_gets_the_secrets_its_command_uses_and_no_other(service):
    spec = compose()["services"][service]
    given = set(spec.get("environment") or {}) & SECRETS
    assert given == needs(spec["command"]), service
    assert "env_file" not in spec


def test_only_the_database_gets_the_postgres_password():
    services = compose()["services"]
    holders = [name for name, s in services.items() if "POSTGRES_PASSWORD" in (s.get("environment") or {})]
    assert holders == ["db"]
    assert services["migrate"]["environment"][DB_SECRET] == services["db"]["environment"]["POSTGRES_PASSWORD"]


def test_the_example_settings_and_env_example_name_the_same_variables():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    in_env = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    settings = load_settings(ROOT / "config" / "settings.example.toml")
    accounts = [*settings.inboxes, *settings.outgoing.values()]
    assert all(a.credentials.password_env for a in accounts), "every mailbox of the example reads its code the same way"
    assert {a.credentials.password_env for a in accounts} <= in_env
    assert {v for v in in_env if v.endswith("_AUTH_CODE")} <= {a.credentials.password_env for a in accounts}


def test_the_compose_database_parts_make_an_address_with_any_password():
    env = {k: str(v) for k, v in compose()["services"]["worker"]["environment"].items()}
    env[DB_SECRET] = "p@ss:w/rd#%?1"  # what ${POSTGRES_PASSWORD} became
    url = make_url(database_url(None, env))
    assert (url.host, url.port, url.database, url.username, url.password) == ("db", 5432, "mailbot", "mailbot", "p@ss:w/rd#%?1")


@pytest.mark.parametrize("env", [{"MAILBOT_DB_HOST": "db", DB_SECRET: "请改为足够长的随机口令"},
                                 {"MAILBOT_DB": "postgresql+psycopg://mailbot:请改为足够长的随机口令@db/mailbot"}])
def test_the_database_password_placeholder_is_refused_in_chinese(env):
    with pytest.raises(ConfigError, match="数据库口令 仍是示例文件中的占位文字"):
        database_url(None, env)


def test_the_web_secret_placeholder_is_refused_with_the_same_words(monkeypatch):
    from mailbot.web.secret import load_secret

    monkeypatch.delenv("MAILBOT_WEB_SECRET_FILE", raising=False)
    monkeypatch.setenv(WEB_SECRET, "请改为随机字符串")
    with pytest.raises(ConfigError, match="仍是示例文件中的占位文字"):
        load_secret()


def test_the_placeholders_of_env_example_are_all_refused():
    from mailbot.placeholders import is_placeholder

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("POSTGRES_PASSWORD", WEB_SECRET):
        [value] = re.findall(rf"^{name}=(.*)$", example, re.M)
        assert is_placeholder(value), name


def test_the_production_image_installs_no_demo_mail_server():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    [extras] = re.findall(r'pip install "?\.(?:\[([a-z,]+)\])?"?', dockerfile)
    installed = project["dependencies"] + [d for e in filter(None, extras.split(",")) for d in project["optional-dependencies"][e]]
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in installed}
    assert not {"pymap", "aiosmtpd"} & names
    assert {"pymap", "aiosmtpd"} <= {re.split(r"[<>=\[ ]", d)[0] for d in project["optional-dependencies"]["demo"]}


@pytest.mark.postgres
@pytest.mark.db
def test_a_password_with_an_at_sign_logs_in_to_postgresql(db_url):
    import os
    import uuid

    from sqlalchemy import create_engine, text

    server = os.environ.get("MAILBOT_TEST_PG")
    if not server:
        pytest.skip("MAILBOT_TEST_PG is not set")
    role, password, admin = f"r_{uuid.uuid4().hex[:12]}", "p@ss:w/rd#%?1'", create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password.replace(chr(39), chr(39) * 2)}'"))
    try:
        target = make_url(db_url)
        env = {"MAILBOT_DB_HOST": target.host, "MAILBOT_DB_PORT": str(target.port or 5432), "MAILBOT_DB_NAME": target.database,
               "MAILBOT_DB_USER": role, DB_SECRET: password}
        engine = create_engine(database_url(None, env))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == role
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        admin.dispose()
