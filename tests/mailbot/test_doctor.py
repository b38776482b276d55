"""`mailbot doctor` against the local dovecot and SMTP server: one good account, one wrong 授权码, a stale database."""

from __future__ import annotations

import pytest

from mailbot.cli.main import main
from mailbot.doctor import provider_advice, secret_hint, select_fix
from mailbot.ledger import Ledger, schema
from tests.support.desk import OFFICES, make_desk

BIANBAN, ZWFW = OFFICES["bianban"], OFFICES["zwfw"]


@pytest.fixture
def desk(dovecot_server, tmp_path, db_url):
    made = make_desk(dovecot_server, tmp_path, db_url)
    yield made
    made.sink.stop()
    if "ledger" in made.app.__dict__:
        made.app.ledger.dispose()


def doctor(desk, capsys, db_url) -> tuple[int, str]:
    code = main(["--db", db_url, "--settings", str(desk.settings_file), "doctor"])
    return code, capsys.readouterr().out


def lines_about(out: str, what: str) -> list[str]:
    return [line for line in out.splitlines() if what in line]


@pytest.mark.imap
def test_everything_in_order_passes(desk, capsys, db_url):
    desk.app.ledger  # schema at head, shipped roster imported: as after the first start
    code, out = doctor(desk, capsys, db_url)
    assert code == 0, out
    assert "【失败】" not in out and "0 项失败" in out
    for address in (BIANBAN, ZWFW):
        assert any("连接并登录成功" in line for line in lines_about(out, f"收件邮箱 {address}"))
        assert any("支持 IDLE" in line for line in lines_about(out, f"收件邮箱 {address}"))
        assert any("连接并登录成功" in line for line in lines_about(out, f"发信账号 {address}"))
    assert lines_about(out, "【通过】数据库")
    [roster] = lines_about(out, "台账中的名册")
    assert "【通过】" in roster and "个未登记邮箱" in roster


@pytest.mark.imap
def test_a_wrong_authorization_code_fails_with_the_providers_advice(desk, capsys, db_url, tmp_path):
    (tmp_path / "bianban.secret").write_text("my-qq-password", encoding="utf-8")
    code, out = doctor(desk, capsys, db_url)
    assert code == 1
    [inbox] = [line for line in lines_about(out, f"收件邮箱 {BIANBAN}")]
    assert "【失败】" in inbox and "登录被拒绝" in inbox
    assert "14 个字符" in out and "16 位授权码" in out  # the shape of the secret, never the secret
    assert "my-qq-password" not in out
    assert "【失败】" in lines_about(out, f"发信账号 {BIANBAN}")[0]
    assert all("【失败】" not in line for line in lines_about(out, ZWFW))  # the other office is fine
    assert "数据库尚未建表" in out and "mailbot db upgrade" in out  # an empty database is only a remark


def test_a_database_of_an_older_release_fails(capsys, db_url, tmp_path):
    old = Ledger(db_url, create=False)
    schema.upgrade(old.engine, schema.FIRST)
    old.dispose()
    code = main(["--db", db_url, "--settings", str(tmp_path / "missing.toml"), "doctor"])
    out = capsys.readouterr().out
    assert code == 1
    assert "结构版本为 0001" in out and "mailbot db upgrade" in out
    assert "无法读取配置文件" in out  # a missing settings file is named too


def test_unreachable_database_fails_in_chinese(capsys, tmp_path):
    code = main(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "--settings", str(tmp_path / "none.toml"), "doctor"])
    out = capsys.readouterr().out
    assert code == 1 and "无法连接" in out and "MAILBOT_DB" in out


def test_advice_names_the_provider_and_the_id_command():
    assert "16 位授权码" in provider_advice("794605082@qq.com")
    assert "授权密码" in provider_advice("xamzfw@126.com")
    assert "ID 命令" in select_fix("SELECT Unsafe Login. Please contact kefu@188.com for help", "INBOX")
    assert secret_hint("794605082@qq.com", "abcdefghijklmnop") == ""
    assert "8 个字符" in secret_hint("794605082@qq.com", "12345678")
