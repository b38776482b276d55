"""The deployment files, checked where no Docker engine runs: the compose file against the Compose schema, the
Dockerfile's and compose file's commands against the CLI and the README's operator guide, secrets kept out of git."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from mailbot.cli.main import build_parser

ROOT = Path(__file__).resolve().parent.parent.parent
# The file names draft 2019-09 by a URI jsonschema does not recognise; say the draft outright.
SCHEMA = jsonschema.Draft201909Validator(json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    return [tuple(line.split(None, 1)) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instruction(name: str) -> list[str]:
    return [args for op, args in dockerfile() if op == name]


def operator_guide() -> str:
    """The README's 运维指南 section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## 运维指南\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert match, "README.md has no ## 运维指南 section"
    return match.group(1)


def subcommands() -> set[str]:
    """The subcommands `mailbot --help` lists."""
    [action] = [a for a in build_parser()._subparsers._group_actions]
    return set(action.choices)


def test_the_compose_file_follows_the_compose_specification(compose):
    SCHEMA.validate(compose)


def test_the_schema_check_is_not_blind(compose):
    broken = copy.deepcopy(compose)
    broken["services"]["worker"]["restart_policy"] = "always"  # not a Compose key
    with pytest.raises(jsonschema.ValidationError):
        SCHEMA.validate(broken)
    broken = copy.deepcopy(compose)
    broken["services"]["db"]["healthcheck"]["retries"] = "many"
    with pytest.raises(jsonschema.ValidationError):
        SCHEMA.validate(broken)


def test_postgresql_has_a_named_volume_and_a_health_check_the_others_wait_for(compose):
    db, services = compose["services"]["db"], compose["services"]
    assert any(v.split(":")[0] in compose["volumes"] for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("worker", "web"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_published_port_is_on_the_hosts_loopback_only(compose):
    published = [p for s in compose["services"].values() for p in s.get("ports", [])]
    assert published and all(str(p).startswith("127.0.0.1:") for p in published)
    assert compose["services"]["web"]["command"][:3] == ["serve", "--host", "0.0.0.0"]


def test_the_dev_profile_adds_a_seeded_mail_stack_and_nothing_else_needs_it(compose):
    dev = {name for name, s in compose["services"].items() if "dev" in s.get("profiles", [])}
    assert dev == {"devmail", "dev-seed"}
    assert compose["services"]["dev-seed"]["command"][0] == "dev-seed"
    dev_settings = (ROOT / "config" / "settings.dev.toml").read_text(encoding="utf-8")
    assert dev_settings.count('host = "devmail"') == 4


def test_secrets_come_from_an_uncommitted_env_file(compose):
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.M))
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    envs = set(re.findall(r'password_env = "([A-Z_]+)"', (ROOT / "config" / "settings.dev.toml").read_text(encoding="utf-8")))
    assert used | envs | {"MAILBOT_WEB_SECRET", "MAILBOT_BIANBAN_AUTH_CODE"} <= named
    # No service is handed the whole .env: compose reads it, and each service names the variables it gets.
    assert not [name for name, s in compose["services"].items() if "env_file" in s]


def test_the_image_is_python_3_11_slim_installs_the_package_and_drops_root():
    assert instruction("FROM") == ["python:3.11-slim"]
    assert any(re.match(r"pip install \"?\.(\[[a-z,]+\])?\"?$", args) for args in instruction("RUN"))
    [user] = instruction("USER")
    assert user not in ("root", "0")
    assert json.loads(instruction("ENTRYPOINT")[0]) == ["mailbot"]


def test_the_images_and_composes_commands_exist_and_the_operator_guide_documents_them(compose):
    ours = [s["command"] for s in compose["services"].values() if s.get("image") == "liangyou-mailbot:latest"]
    commands = [json.loads(instruction("CMD")[0]), *ours]
    assert {c[0] for c in commands} >= {"run", "serve", "db", "dev-seed"}
    guide, known = operator_guide(), subcommands()
    for words in commands:
        assert words[0] in known, f"mailbot has no subcommand {words[0]}"
        assert f"mailbot {' '.join(words[:2]) if words[0] == 'db' else words[0]}" in guide, f"the operator guide never shows {words}"
    for documented in ("mailbot doctor", "mailbot db upgrade", "docker compose --profile dev up", "pg_dump", ".backup"):
        assert documented in guide
