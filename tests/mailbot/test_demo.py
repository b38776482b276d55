"""`mailbot demo` goes through a local IMAP server and an SMTP sink, and falls back to the direct pipeline when it cannot."""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_demo_reads_the_samples_over_imap_and_shows_the_receipts_the_sink_received(tmp_path):
    # An empty working directory: the campaign folder is named, as a deployment's setting would name it.
    done = subprocess.run([sys.executable, "-m", "mailbot.cli.main", "--campaign", str(ROOT / "config" / "campaigns" / "liangyou"), "demo",
                           "--keep", str(tmp_path), "--receipts", "1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "本机邮件服务器：IMAP 127.0.0.1:" in out and "内存中的临时邮箱" in out and "改为直接处理" not in out
    # 11 receipts; 盟财政局's two (its first return and the corrected one) arrive together and go out in one mail
    assert "共经 IMAP 收取并处理 13 封邮件，SMTP 收信端收到回执 10 封。" in out
    assert "→ jyj@example.com  回复：盟教育局附件3保留职权事项清单" in out
    assert "盟财政局修改后重新报送附件2" in out and "政务服务局〔2023〕收字第0007号" in out
    # What is kept is the ledger; the local servers' passwords go with the servers. The hint opens this very ledger.
    assert (tmp_path / "demo.db").exists() and not list(tmp_path.glob("*.secret"))
    hint = f"mailbot --campaign {ROOT / 'config' / 'campaigns' / 'liangyou'} --db sqlite:///{tmp_path / 'demo.db'} ledger"
    assert hint in out and "完整台账：mailbot ledger" not in out
    shown = subprocess.run([sys.executable, "-m", "mailbot", *hint.split()[1:], "--json"], cwd=tmp_path, capture_output=True,
                           text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert "已报送-合格" in shown.stdout, shown.stderr


def test_without_keep_the_demo_leaves_no_file_behind(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"PYTHONPATH": str(ROOT), "PATH": "", "TMPDIR": str(scratch)}
    done = subprocess.run([sys.executable, "-m", "mailbot.cli.main", "--campaign", str(ROOT / "config" / "campaigns" / "liangyou"), "demo", "--receipts", "0"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "演示数据库及临时文件（含本机邮件服务器的临时口令）已删除" in done.stdout
    assert list(scratch.iterdir()) == []


def test_without_a_local_imap_server_the_demo_processes_the_samples_directly(tmp_path, monkeypatch, capsys):
    from mailbot.cli.commands import demo
    from mailbot.demo.servers import LocalImap, LocalMailUnavailable

    def refuse(self, timeout=10.0):
        raise LocalMailUnavailable("本机 IMAP 服务器无法启动：测试")

    monkeypatch.setattr(LocalImap, "start", refuse)
    assert demo.run(Namespace(keep=str(tmp_path), db=None, campaign=None, receipts=0)) == 0
    out = capsys.readouterr().out
    assert "本机 IMAP 服务器无法启动：测试，改为直接处理示例邮件（不经邮件服务器）。" in out
    assert "共处理 13 封邮件。" in out and "待发送回执 11 封" in out


def test_the_demo_runs_under_another_campaign(tmp_path, monkeypatch, capsys):
    # It crashed with KeyError: 'bianban' (issue 20): the samples were the first campaign's only.
    from mailbot.cli.commands import demo
    from mailbot.demo.servers import LocalImap, LocalMailUnavailable
    from tests.campaigns import XUEXIAO

    def refuse(self, timeout=10.0):
        raise LocalMailUnavailable("本机 IMAP 服务器无法启动：测试")

    monkeypatch.setattr(LocalImap, "start", refuse)
    assert demo.run(Namespace(keep=str(tmp_path), db=None, campaign=str(XUEXIAO), receipts=1)) == 0
    out = capsys.readouterr().out
    assert "中小学基础数据报送系统演示" in out and "秋季学期中小学基础数据报送台账" in out
    assert "阿尔山市第一中学" in out and "基教股〔" in out and "两优" not in out and "兴安盟" not in out


def test_without_the_demo_extra_the_demo_says_in_chinese_how_to_install_it(tmp_path, monkeypatch, capsys):
    from mailbot.cli.commands import demo

    real = demo.importlib.util.find_spec
    monkeypatch.setattr(demo.importlib.util, "find_spec", lambda name, *a: None if name == "pymap" else real(name, *a))
    assert demo.run(Namespace(keep=str(tmp_path), db=None, campaign=None, receipts=0)) == 1
    out = capsys.readouterr().out
    assert "尚未安装" in out and "pymap" in out and "pip install -e '.[demo]'" in out
    assert not (tmp_path / "demo.db").exists()
