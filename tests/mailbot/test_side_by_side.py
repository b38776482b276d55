"""Two campaigns side by side in one deployment: one database, one settings file, one worker each, over dovecot.

Each worker reads only its campaign's inboxes, answers from its campaign's offices with its own receipt numbers, and
its ledger holds only its own roster; a unit of one campaign writing to the other is a stranger there.
"""

from __future__ import annotations

import email
import subprocess
import sys
import textwrap
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.app import App
from mailbot.demo.forms import form_xlsx
from mailbot.demo.generic_inbox import sample_row
from mailbot.demo.inbox import XLSX, _mail
from mailbot.ledger.models import MessageRow
from mailbot.ledger.units import load_roster
from tests.campaigns import ANJIAN, XUEXIAO
from tests.support.desk import password_of
from tests.support.servers import SmtpSink

pytestmark = pytest.mark.imap
ROOT = Path(__file__).resolve().parent.parent.parent
OFFICES = {"anwei": "anwei@kyqq.example.test", "jijiao": "jijiao@aes.example.test", "tongji": "tongji@aes.example.test"}
KEZQ, YZ, YX = "kezq@kyqq.example.test", "yz@aes.example.test", "yx@aes.example.test"


def settings_text(dovecot, sink, secrets: Path) -> str:
    """One deployment's settings: every office of both campaigns (keys unique across campaigns)."""
    parts = ["[sending]\nmin_interval = 0\nper_recipient = 0\n"]
    for key, address in OFFICES.items():
        secret = secrets / f"{key}.secret"
        secret.write_text(password_of(address), encoding="utf-8")
        server = f'security = "plain"\nusername = "{address}"\npassword_file = "{secret}"\n'
        parts.append(textwrap.dedent(f"""
            [[offices.{key}.inboxes]]
            host = "{dovecot.host}"
            port = {dovecot.port}
            """) + server + f'\n[offices.{key}.smtp]\nhost = "{sink.host}"\nport = {sink.port}\n' + server)
    return "\n".join(parts)


@pytest.fixture
def deployment(dovecot, tmp_path):
    for address in [*OFFICES.values(), KEZQ, YZ, YX]:
        dovecot.add_user(address)
    sink = SmtpSink(dovecot=dovecot, users={a: password_of(a) for a in OFFICES.values()})
    sink.start()
    path = tmp_path / "settings.toml"
    path.write_text(settings_text(dovecot, sink, tmp_path), encoding="utf-8")
    yield dovecot, path
    sink.stop()


def table_mail(folder: Path, sender: str, to: str, unit: str) -> bytes:
    app = App(campaign_file=str(folder))
    spec = next(s for s in app.campaign.forms if s.layout == "table")
    return _mail(sender, to, spec.title, app.campaign.deadline_for(spec.kind).end(app.campaign.timezone), "请查收。",
                 [(f"{spec.label}.xlsx", form_xlsx(spec, unit, [sample_row(spec, 0), sample_row(spec, 1)]), XLSX)])


def receipts(dovecot, user: str) -> list:
    return [email.message_from_bytes(raw, policy=policy.default) for raw in dovecot.read_mailbox(user, "INBOX").values()]


def test_two_campaigns_run_at_once_in_one_deployment(deployment, db_url):
    dovecot, settings = deployment
    dovecot.append(OFFICES["anwei"], table_mail(ANJIAN, KEZQ, OFFICES["anwei"], "科尔沁右翼前旗科尔沁镇人民政府"))
    dovecot.append(OFFICES["tongji"], table_mail(XUEXIAO, YZ, OFFICES["tongji"], "阿尔山市第一中学"))
    dovecot.append(OFFICES["jijiao"], table_mail(XUEXIAO, YX, OFFICES["jijiao"], "阿尔山市第一小学"))
    dovecot.append(OFFICES["jijiao"], table_mail(XUEXIAO, KEZQ, OFFICES["jijiao"], "科尔沁镇"))  # a unit of the other campaign
    workers = [subprocess.Popen([sys.executable, "-m", "mailbot.cli.main", "--db", db_url, "--settings", str(settings), "--campaign", str(folder),
                                 "poll", "--once"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for folder in (ANJIAN, XUEXIAO)]
    (anjian_out, anjian_err), (xuexiao_out, xuexiao_err) = (w.communicate(timeout=120) for w in workers)
    assert [w.returncode for w in workers] == [0, 0], anjian_err + xuexiao_err
    # each worker read only its own campaign's inboxes
    assert OFFICES["anwei"] in anjian_out and OFFICES["jijiao"] not in anjian_out and OFFICES["tongji"] not in anjian_out
    assert OFFICES["jijiao"] in xuexiao_out and OFFICES["tongji"] in xuexiao_out and OFFICES["anwei"] not in xuexiao_out
    kezq = {m["From"].addresses[0].addr_spec: m for m in receipts(dovecot, KEZQ)}
    assert "安委办〔" in kezq[OFFICES["anwei"]].get_body(("plain",)).get_content()  # anjian's receipt number
    assert "名册" in kezq[OFFICES["jijiao"]].get_body(("plain",)).get_content()  # a stranger to xuexiao
    (yz,), (yx,) = receipts(dovecot, YZ), receipts(dovecot, YX)
    assert yz["From"].addresses[0].addr_spec == OFFICES["tongji"] and "统计中心〔" in yz.get_body(("plain",)).get_content()
    assert yx["From"].addresses[0].addr_spec == OFFICES["jijiao"] and "基教股〔" in yx.get_body(("plain",)).get_content()
    for folder, expected in ((ANJIAN, {"anwei"}), (XUEXIAO, {"jijiao", "tongji"})):
        app = App(db=db_url, campaign_file=str(folder))
        with app.ledger.session() as s:
            assert {m.office for m in s.scalars(select(MessageRow))} == expected
            names = {u.name for u in load_roster(s)}
        assert len(names) == 4 and all(("前旗" in n) == (folder == ANJIAN) for n in names)
        app.ledger.dispose()
