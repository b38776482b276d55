"""Settings: inboxes and SMTP per office from TOML, secrets only by reference."""

from pathlib import Path

import pytest

from mailbot.settings import SettingsError, find_settings_path, load_settings

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "config" / "settings.example.toml"


def write(tmp_path, text):
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_lists_both_offices_and_the_misprinted_alias():
    settings = load_settings(EXAMPLE)
    assert [(i.office, i.address, i.server.host, i.server.port) for i in settings.inboxes] == [
        ("bianban", "794605082@qq.com", "imap.qq.com", 993),
        ("zwfw", "xamzfw@126.com", "imap.126.com", 993),
        ("zwfw", "xamzfwf@126.com", "imap.126.com", 993),
    ]
    assert {k: (o.server.host, o.server.port, o.server.security) for k, o in settings.outgoing.items()} == {
        "bianban": ("smtp.qq.com", 465, "ssl"),
        "zwfw": ("smtp.126.com", 465, "ssl"),
    }


def test_the_parse_child_is_on_by_default_and_tunable(tmp_path):
    from mailbot.app import App
    from mailbot.intake.parse_child import ParseAhead, ParsePolicy

    assert load_settings(EXAMPLE).parse_ahead is True
    off = write(tmp_path, "parse_ahead = false\nparse_timeout = 5\nparse_memory_mb = 512\n")
    settings = load_settings(off)
    assert (settings.parse_ahead, settings.parse_policy) == (False, ParsePolicy(timeout=5.0, memory_mb=512))
    assert App(db=f"sqlite:///{tmp_path}/l.db", settings_file=str(off)).parse_child is None  # off: the chain parses inline
    on = tmp_path / "on.toml"
    on.write_text("parse_timeout = 5\n", encoding="utf-8")
    app = App(db=f"sqlite:///{tmp_path}/l.db", settings_file=str(on))
    assert isinstance(app.parse_child, ParseAhead) and app.parse_child.policy.timeout == 5.0
    assert app.parse_child is app.parse_child  # one for the process, kept across passes


def test_password_in_the_file_is_refused_in_chinese(tmp_path):
    path = write(tmp_path, '[[offices.a.inboxes]]\nhost="h"\nport=993\nusername="u"\npassword="hunter2"\n')
    with pytest.raises(SettingsError, match="不得直接填写密码"):
        load_settings(path)


def test_secret_read_from_env_and_file_and_never_shown(tmp_path):
    secret = tmp_path / "code"
    secret.write_text("abcdefghijklmnop\n")
    path = write(tmp_path, f'[[offices.a.inboxes]]\nhost="h"\nport=1\nusername="u@x"\npassword_file="{secret}"\n'
                           '[offices.a.smtp]\nhost="h"\nport=2\nusername="u@x"\npassword_env="CODE"\n')
    settings = load_settings(path)
    assert settings.inboxes[0].credentials.read_password() == "abcdefghijklmnop"
    assert settings.outgoing["a"].credentials.read_password({"CODE": "qrstuvwxyzabcdef"}) == "qrstuvwxyzabcdef"
    assert "abcdefghijklmnop" not in repr(settings)


def test_missing_env_secret_is_a_chinese_settings_error(tmp_path):
    path = write(tmp_path, '[offices.a.smtp]\nhost="h"\nport=2\nusername="u@x"\npassword_env="NOPE"\n')
    with pytest.raises(SettingsError, match="环境变量 NOPE 未设置"):
        load_settings(path).outgoing["a"].credentials.read_password({})


@pytest.mark.parametrize("table", ['security="tls"\nusername="u"\npassword_env="E"', 'username="u"'])
def test_bad_security_or_missing_secret_source(tmp_path, table):
    with pytest.raises(SettingsError):
        load_settings(write(tmp_path, f'[offices.a.smtp]\nhost="h"\nport=2\n{table}\n'))


def test_settings_path_option_then_env(tmp_path):
    assert find_settings_path("x.toml", {"MAILBOT_SETTINGS": "y.toml"}) == Path("x.toml")
    assert find_settings_path(None, {"MAILBOT_SETTINGS": "y.toml"}) == Path("y.toml")


def test_database_url_kept_out_of_repr(tmp_path):
    settings = load_settings(write(tmp_path, 'database_url = "postgresql://bot:s3cret@db/x"\n'))
    assert settings.database_url.endswith("@db/x") and "s3cret" not in repr(settings)
