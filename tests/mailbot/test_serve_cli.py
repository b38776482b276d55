"""`mailbot serve` says in Chinese why it cannot listen, and announces the dashboard only once it listens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from mailbot.cli.commands.serve import bind_error
from tests.support.servers import find_free_port

ROOT = Path(__file__).resolve().parent.parent.parent
ENV = {**os.environ, "MAILBOT_WEB_SECRET": "a-test-secret-long-enough-for-the-check", "MAILBOT_SETTINGS": ""}
pytestmark = pytest.mark.db


def serve(tmp_path, port: int) -> list[str]:
    return [sys.executable, "-m", "mailbot", "--db", f"sqlite:///{tmp_path / 'web.db'}", "serve", "--port", str(port)]


def test_a_port_in_use_is_said_in_chinese_and_nothing_claims_to_have_started(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(serve(tmp_path, port), cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"端口 {port} 已被占用" in done.stderr and "--port" in done.stderr
    assert "台账网页已启动" not in done.stdout
    assert "Address already in use" not in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_the_dashboard_is_announced_once_it_listens(tmp_path):
    port = find_free_port()
    proc = subprocess.Popen(serve(tmp_path, port), cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "台账网页已启动" in proc.stdout.readline()
        socket.create_connection(("127.0.0.1", port), timeout=5).close()  # no wait: it listened before it said so
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:  # and it answers
            assert page.status == 200 and "登录" in page.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


def test_other_listening_failures_are_explained():
    import errno

    assert "1024" in bind_error("127.0.0.1", 80, errno.EACCES)
    assert "本机没有地址 10.9.9.9" in bind_error("10.9.9.9", 8080, errno.EADDRNOTAVAIL)
    assert "无法解析监听地址" in bind_error("web.invalid", 8080, socket.EAI_NONAME)
