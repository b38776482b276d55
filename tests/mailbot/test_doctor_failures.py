"""`mailbot doctor` names each failure class in Chinese with its fix: refused, plain server on an SSL setting, a name that
does not resolve, a wrong port, a missing variable or password file; warnings are counted and printed once. Loopback only."""

from __future__ import annotations

import socket
import threading

import pytest

from mailbot.cli.main import main
from mailbot.doctor_net import port_advice
from mailbot.settings import Server
from tests.support.servers import find_free_port

BIANBAN = "794605082@qq.com"


def settings(tmp_path, host="127.0.0.1", imap_port=None, smtp_port=None, security="plain", secret='password_env = "MB_TEST_CODE"'):
    path = tmp_path / "settings.toml"
    path.write_text(f"""
[[offices.bianban.inboxes]]
host = "{host}"
port = {imap_port or find_free_port()}
security = "{security}"
username = "{BIANBAN}"
{secret}

[offices.bianban.smtp]
host = "{host}"
port = {smtp_port or find_free_port()}
security = "{security}"
username = "{BIANBAN}"
{secret}
""", encoding="utf-8")
    return path


def doctor(tmp_path, settings_file, capsys) -> tuple[int, str, str]:
    code = main(["--db", f"sqlite:///{tmp_path / 'd.db'}", "--settings", str(settings_file), "doctor"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def about(out: str, what: str) -> str:
    """The finding lines (with their fix) that mention ``what``."""
    lines = out.splitlines()
    return "\n".join(f"{line}\n{lines[i + 1] if i + 1 < len(lines) else ''}" for i, line in enumerate(lines) if what in line)


@pytest.fixture
def code_set(monkeypatch):
    monkeypatch.setenv("MB_TEST_CODE", "abcdefghijklmnop")


@pytest.fixture
def plain_server():
    """A loopback server that greets in plain text, as an IMAP or SMTP server on a non-SSL port does."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.sendall(b"* OK plain greeting\r\n")
                conn.settimeout(2)
                try:
                    conn.recv(4096)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_a_closed_port_is_connection_refused_with_the_usual_ports(tmp_path, capsys, code_set):
    code, out, _ = doctor(tmp_path, settings(tmp_path), capsys)
    assert code == 1
    inbox, smtp = about(out, f"收件邮箱 {BIANBAN}"), about(out, f"发信账号 {BIANBAN}")
    assert "连接被拒绝" in inbox and "993" in inbox and "143" in inbox
    assert "连接被拒绝" in smtp and "465" in smtp and "587" in smtp
    assert "Errno" not in out and "暂时无法访问" not in out and "Connection refused" not in out


def test_a_plain_server_on_an_ssl_setting_is_named_with_the_starttls_fix(tmp_path, capsys, code_set, plain_server):
    code, out, _ = doctor(tmp_path, settings(tmp_path, imap_port=plain_server, smtp_port=plain_server, security="ssl"), capsys)
    inbox, smtp = about(out, f"收件邮箱 {BIANBAN}"), about(out, f"发信账号 {BIANBAN}")
    assert code == 1
    assert "没有使用 SSL" in inbox and 'security = "starttls"' in inbox and "143" in inbox
    assert "没有使用 SSL" in smtp and "587" in smtp
    assert "WRONG_VERSION_NUMBER" not in out and "SSL:" not in out


def test_a_name_that_never_resolves_is_said_without_asking_the_network(tmp_path, capsys, code_set, monkeypatch):
    asked = []
    real = socket.getaddrinfo

    def recording(host, *args, **kwargs):
        asked.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    code, out, _ = doctor(tmp_path, settings(tmp_path, host="imap.example.invalid"), capsys)
    assert code == 1
    assert "无法解析服务器名称 imap.example.invalid" in about(out, f"收件邮箱 {BIANBAN}")
    assert "无法解析服务器名称" in about(out, f"发信账号 {BIANBAN}") and "host" in out
    assert not [h for h in asked if str(h).endswith(".invalid")]


def test_a_missing_variable_and_a_missing_password_file_are_different_messages(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MB_TEST_CODE", raising=False)
    _, out, _ = doctor(tmp_path, settings(tmp_path), capsys)
    assert "环境变量 MB_TEST_CODE 未设置" in out and ".env" in out
    missing = tmp_path / "none.secret"
    _, out2, _ = doctor(tmp_path, settings(tmp_path, secret=f'password_file = "{missing}"'), capsys)
    assert f"密码文件 {missing} 不存在" in out2 and "chmod 600" in out2
    for text in (out, out2):
        assert "防火墙" not in text and "连接被拒绝" not in text  # nothing about hosts or ports: no connection was tried


def test_the_placeholder_of_the_example_is_not_taken_for_a_code(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MB_TEST_CODE", "请改为授权码")
    _, out, _ = doctor(tmp_path, settings(tmp_path), capsys)
    assert "仍是示例中的占位文字" in out


def test_an_open_password_file_is_one_counted_remark_before_the_verdict(tmp_path, capsys):
    secret = tmp_path / "open.secret"
    secret.write_text("abcdefghijklmnop", encoding="utf-8")
    secret.chmod(0o644)
    code, out, err = doctor(tmp_path, settings(tmp_path, secret=f'password_file = "{secret}"'), capsys)
    lines = out.splitlines()
    remarks = [i for i, line in enumerate(lines) if "同组或其他用户也可读取" in line]
    [verdict] = [i for i, line in enumerate(lines) if line.startswith("自检完成")]
    assert len(remarks) == 1 and remarks[0] < verdict  # the inbox and the SMTP account share the file: said once
    assert "项提示" in lines[verdict] and "chmod 600" not in err


def test_the_usual_ports_of_each_protocol():
    assert "SMTP" in port_advice(Server("imap.qq.com", 465, "ssl"), "IMAP") and "993" in port_advice(Server("imap.qq.com", 465, "ssl"), "IMAP")
    assert "IMAP" in port_advice(Server("smtp.qq.com", 993, "ssl"), "SMTP")
    assert 'security = "starttls"' in port_advice(Server("imap.qq.com", 143, "ssl"), "IMAP")
    assert 'security = "ssl"' in port_advice(Server("imap.qq.com", 993, "starttls"), "IMAP")
    assert port_advice(Server("imap.qq.com", 993, "ssl"), "IMAP") == ""
    assert port_advice(Server("smtp.126.com", 587, "starttls"), "SMTP") == ""


def test_a_placeholder_database_password_is_a_finding_not_a_stop(tmp_path, capsys, code_set, monkeypatch):
    monkeypatch.delenv("MAILBOT_DB", raising=False)
    monkeypatch.setenv("MAILBOT_DB_HOST", "db.invalid")
    monkeypatch.setenv("MAILBOT_DB_PASSWORD", "请改为足够长的随机口令")
    code = main(["--settings", str(settings(tmp_path)), "doctor"])
    out = capsys.readouterr().out
    assert code == 1 and "数据库口令 仍是示例文件中的占位文字" in out
    assert f"收件邮箱 {BIANBAN}" in out  # the mailboxes are still checked
