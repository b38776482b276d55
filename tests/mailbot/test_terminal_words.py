"""`mailbot process` and `mailbot demo` speak to a person: materials by name, outcomes and reasons in words, no codes."""

from __future__ import annotations

import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from mailbot.cli.main import main
from mailbot.cli.render import OUTCOME_LABELS
from mailbot.config import load_campaign
from mailbot.demo.inbox import demo_inbox
from routing.chain import reason_words, reasons
from routing.delivery import Outcome
from tests.support.text_scan import findings

ROOT = Path(__file__).resolve().parent.parent.parent
CAMPAIGN = ROOT / "config" / "campaigns" / "liangyou"


def test_process_names_each_material_and_says_why_in_words(tmp_path, capsys):
    samples = demo_inbox(load_campaign())
    for mailbox in dict.fromkeys(s.mailbox for s in samples):  # each inbox's samples in their order (a duplicate after its first)
        files = []
        for n, sample in enumerate(s for s in samples if s.mailbox == mailbox):
            files.append(tmp_path / f"{mailbox}-{n:02d}.eml")
            files[-1].write_bytes(sample.raw)
        assert main(["--db", f"sqlite:///{tmp_path}/p.db", "process", "--mailbox", mailbox, *map(str, files)]) == 0
    out = capsys.readouterr().out
    assert findings(out) == []
    assert "附件3《保留职权事项及减环节、减材料、减时限清单》  附件3-兴安盟教育局.xlsx  合格  2行" in out
    assert "实施方案《“两优”专项行动实施方案》" in out and "- 提示：G6 " in out
    assert "已忽略（不回复）" in out and "原因：自动回复、退信、群发邮件" in out and "原因：同一封邮件再次到达" in out


def test_the_demo_over_its_local_servers_prints_no_code(tmp_path):
    done = subprocess.run([sys.executable, "-m", "mailbot", "--campaign", str(CAMPAIGN), "demo", "--receipts", "3"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "", "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert findings(done.stdout) == []
    assert "原因：自动回复、退信、群发邮件" in done.stdout and "演示数据库：/" in done.stdout


def test_the_demo_without_local_servers_prints_no_code(tmp_path, monkeypatch, capsys):
    from mailbot.cli.commands import demo
    from mailbot.demo.servers import LocalImap, LocalMailUnavailable

    def refuse(self, timeout=10.0):
        raise LocalMailUnavailable("本机 IMAP 服务器无法启动")

    monkeypatch.setattr(LocalImap, "start", refuse)
    assert demo.run(Namespace(keep=str(tmp_path), db=None, campaign=None, receipts=3)) == 0
    out = capsys.readouterr().out
    assert findings(out) == []
    assert "（回执：已登记（需修改））" in out and "（涉密拒收提醒）" in out


@pytest.mark.parametrize("reason", sorted(reasons()))
def test_every_reason_reads_as_words(reason):
    assert findings(reason_words(reason)) == []


def test_every_outcome_has_a_label():
    assert {o.value for o in Outcome} <= set(OUTCOME_LABELS)
