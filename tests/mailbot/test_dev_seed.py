"""`mailbot dev-seed` delivers the sample inbox over SMTP, each message to its office's mailbox."""

from __future__ import annotations

import pytest

from mailbot.cli.main import main
from mailbot.config import load_campaign
from mailbot.demo.inbox import demo_inbox

pytestmark = pytest.mark.imap


def test_the_samples_arrive_in_the_office_inboxes(smtp_sink, dovecot_server, capsys):
    samples = demo_inbox(load_campaign())
    offices = sorted({s.mailbox for s in samples})
    for office in offices:
        dovecot_server.add_user(office)
    assert main(["dev-seed", "--smtp-host", smtp_sink.host, "--smtp-port", str(smtp_sink.port)]) == 0
    assert f"投递 {len(samples)} 封示例邮件" in capsys.readouterr().out
    arrived = {office: len(dovecot_server.read_mailbox(office, "INBOX")) for office in offices}
    assert arrived == {office: sum(s.mailbox == office for s in samples) for office in offices}
