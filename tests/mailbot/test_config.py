"""One configuration object: the parse child follows a reload, database_url is honoured, errors are one Chinese line."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.app import App
from mailbot.cli.main import main
from mailbot.config import DEFAULT_CAMPAIGN, load_config
from mailbot.intake.inbound import delivery_from_bytes
from mailbot.ledger.models import OutboxRow
from mailbot.worker import Worker
from parsers.safety.limits import Limits
from routing.context import LoopPolicy
from routing.stages.sender_auth import DEFAULT_REQUIRED, AuthPolicy

SECRET_WORDS = "绝不外传"  # a marking only the edited campaign knows
TYPO = 'before = [{ working_days = 3, at = "09:00" }]\non_day = "09:00"'


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.delenv("MAILBOT_SETTINGS", raising=False)
    campaign = tmp_path / "campaign.toml"
    campaign.write_text(DEFAULT_CAMPAIGN.read_text(encoding="utf-8"), encoding="utf-8")
    settings = tmp_path / "settings.toml"
    settings.write_text("parse_ahead = true\nparse_timeout = 60\n", encoding="utf-8")
    return campaign, settings


def edit(path, old: str, new: str, stamp: int) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, (stamp, stamp))


def marked_mail(words: str) -> bytes:
    return (f"From: a@example.com\r\nTo: xamzfw@126.com\r\nSubject: 材料\r\nMessage-ID: <m1@example.com>\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\n\r\n{words}\r\n\r\n附件见后。\r\n").encode()


def test_after_a_reload_the_parse_child_gates_with_the_new_campaign_and_terms(files, db_url):
    campaign, settings = files
    app = App(db=db_url, campaign_file=str(campaign), settings_file=str(settings))
    worker = Worker(app)
    assert app.parse_child is not None and SECRET_WORDS not in app.parse_child.terms.patterns
    edit(campaign, "patterns = []", f'patterns = ["{SECRET_WORDS}"]', 1)
    assert worker.reload()
    child = app.parse_child
    assert child.campaign is app.campaign and SECRET_WORDS in child.terms.patterns
    delivery = delivery_from_bytes(marked_mail(SECRET_WORDS), "xamzfw@126.com", received_at=dt.datetime.now(dt.UTC))
    delivery.prepared = child.collect(child.submit(delivery))
    assert delivery.prepared.marking is not None  # the child refuses what the new campaign calls a marking
    child.close()
    app.ledger.dispose()


def test_database_url_in_the_settings_file_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("MAILBOT_DB", raising=False)
    monkeypatch.chdir(tmp_path)  # the default ./var/mailbot.db, if wrongly used, lands here
    monkeypatch.setenv("MAILBOT_CAMPAIGN", str(Path(__file__).resolve().parent.parent.parent / "config" / "campaigns" / "liangyou"))  # campaigns are found from the working directory
    site = tmp_path / "site.db"
    settings = tmp_path / "settings.toml"
    settings.write_text(f'database_url = "sqlite:///{site}"\n', encoding="utf-8")
    app = App(settings_file=str(settings))
    assert app.ledger.url == f"sqlite:///{site}"
    app.ledger.dispose()
    assert main(["--settings", str(settings), "db", "current"]) == 0 and site.exists()
    assert not (tmp_path / "var").exists()


def test_db_option_and_environment_come_before_the_settings_file(tmp_path, monkeypatch):
    settings = tmp_path / "settings.toml"
    settings.write_text(f'database_url = "sqlite:///{tmp_path}/site.db"\n', encoding="utf-8")
    monkeypatch.setenv("MAILBOT_DB", f"sqlite:///{tmp_path}/env.db")
    assert App(settings_file=str(settings)).database_url.endswith("/env.db")
    assert App(db=f"sqlite:///{tmp_path}/opt.db", settings_file=str(settings)).database_url.endswith("/opt.db")


def test_a_schedule_typo_is_one_chinese_line_naming_key_and_file(files, tmp_path, capsys):
    campaign, _ = files
    edit(campaign, TYPO, TYPO.replace("working_days", "working_day"), 1)
    assert main(["--db", f"sqlite:///{tmp_path}/l.db", "--campaign", str(campaign), "schedule"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert "working_day" in err and str(campaign) in err and "reminders.deadlines.plan" in err


def test_the_site_settings_tune_the_schedule_over_the_campaign(files, db_url):
    campaign, settings = files
    settings.write_text('[reminders]\ndigest_at = "17:10"\n[reminders.deadlines.plan]\non_day = "10:00"\n', encoding="utf-8")
    app = App(db=db_url, campaign_file=str(campaign), settings_file=str(settings))
    policy = app.config.policy
    assert policy.plan("plan").on_day == dt.time(10, 0) and policy.plan("plan").before == ()  # the plan replaced whole
    assert policy.digest_at == dt.time(17, 10) and policy.plan("lists").on_day == dt.time(9, 0)  # the rest: the campaign's
    settings.write_text('[reminders.deadlines.plan]\non_dya = "10:00"\n', encoding="utf-8")
    with pytest.raises(Exception, match=f"运行设置文件 {settings}.*on_dya"):
        App(db=db_url, campaign_file=str(campaign), settings_file=str(settings)).config  # noqa: B018
    app.ledger.dispose()


def test_a_worker_that_cannot_reload_says_so_once_then_stays_quiet(files, db_url, caplog, capsys):
    campaign, _ = files
    app = App(db=db_url, campaign_file=str(campaign))
    worker = Worker(app)
    edit(campaign, TYPO, TYPO.replace("working_days", "working_day"), 1)
    with caplog.at_level(logging.INFO, logger="mailbot"):
        for _ in range(5):
            assert worker.run_job("watch")
    failures = [r for r in caplog.records if "reload failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None and "working_day" in failures[0].getMessage()
    with app.ledger.session() as s:
        alerts = s.scalars(select(OutboxRow).where(OutboxRow.kind == "config")).all()
    assert sorted(a.office for a in alerts) == sorted(app.campaign.offices) and all("working_day" in a.body for a in alerts)
    assert main(["--db", db_url, "status"]) == 0
    assert "配置修改未能生效" in capsys.readouterr().out
    edit(campaign, TYPO.replace("working_days", "working_day"), TYPO, 2)
    assert worker.run_job("watch") and app.config.policy.plan("plan").before
    assert main(["--db", db_url, "status"]) == 0
    assert "配置修改未能生效" not in capsys.readouterr().out
    app.ledger.dispose()


def test_the_pipeline_options_are_built_from_the_settings_typed(files):
    campaign, settings = files
    settings.write_text('trusted_auth = ["mx.qq.com"]\nauth_public_suffixes = ["nm.cn"]\n[limits]\nmax_rows = 99\n'
                        '[offices.zwfw]\ncoordinator = "lead@example.test"\n'
                        '[[offices.zwfw.inboxes]]\nhost = "127.0.0.1"\nport = 993\nusername = "xamzfw@126.com"\npassword_env = "X"\n',
                        encoding="utf-8")
    options = load_config(campaign, settings).pipeline_options()
    assert options.own_addresses == ("xamzfw@126.com",) and options.coordinators["zwfw"] == "lead@example.test"
    assert options.auth == AuthPolicy(("mx.qq.com",), DEFAULT_REQUIRED, ("nm.cn",))
    assert options.limits == Limits(max_rows=99) and options.loop_policy == LoopPolicy()
    bare = load_config(campaign).pipeline_options()  # no settings file: the defaults, the campaign's coordinators
    assert (bare.own_addresses, bare.auth, bare.limits) == ((), AuthPolicy(), Limits())
    assert bare.coordinators["zwfw"] == "xamzfw@126.com"
