"""Production serving: `mailbot serve --production` runs waitress; /healthz and `mailbot healthcheck` answer for web and worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from mailbot.cli.main import main
from mailbot.heartbeat import ENV_HEARTBEAT
from tests.mailbot.test_worker import campaign_file, worker  # noqa: F401 (fixtures)
from tests.support.servers import find_free_port, wait_for_port


def test_the_dashboard_runs_under_waitress_and_answers_its_health_check(db_url, tmp_path, capsys):
    port = find_free_port()
    env = {**os.environ, "MAILBOT_WEB_SECRET": "serve-secret-0123456789abcdef", "MAILBOT_DB": db_url,
           "MAILBOT_CAMPAIGN": str(Path(__file__).resolve().parent.parent.parent / "config" / "campaigns" / "liangyou")}
    env.pop("MAILBOT_SETTINGS", None)
    proc = subprocess.Popen([sys.executable, "-m", "mailbot", "serve", "--production", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        wait_for_port(port, up=True, deadline=60)
        url = f"http://127.0.0.1:{port}/healthz"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert (response.status, response.read(), response.headers["Server"]) == (200, b"ok\n", "mailbot")
        assert main(["healthcheck", "web", "--url", url]) == 0
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.url.endswith("/login")  # everything else still wants a login
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    capsys.readouterr()
    assert main(["healthcheck", "web", "--url", url]) == 1
    assert "无法连接台账网页" in capsys.readouterr().out


def test_the_worker_beats_after_each_job_and_its_health_check_reads_the_beat(worker, tmp_path, monkeypatch, capsys):  # noqa: F811
    beat = tmp_path / "worker.alive"
    monkeypatch.setenv(ENV_HEARTBEAT, str(beat))
    assert main(["healthcheck", "worker"]) == 1 and "未找到工作进程的心跳文件" in capsys.readouterr().out
    assert worker.run_job("health")
    assert beat.exists() and main(["healthcheck", "worker", "--max-age", "60"]) == 0
    old = time.time() - 3600
    os.utime(beat, (old, old))
    assert main(["healthcheck", "worker", "--max-age", "60"]) == 1 and "没有完成任何任务" in capsys.readouterr().out
