"""Sender authentication: the topmost trusted Authentication-Results, read with DMARC's relaxed alignment.

Pure cases of the reader, a fuzzed property (headers written above or below by anyone else never change the
verdict), and the whole path over dovecot, where `mailbot process` of the same files must agree with the worker.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.app import App
from mailbot.demo.forms import form_xlsx
from mailbot.demo.inbox import XLSX, _mail, rows_attachment3
from mailbot.intake.poll import poll_all
from mailbot.ledger.models import MessageRow
from mailbot.ledger.units import add_email
from routing.stages.domains import organisational_domain
from routing.stages.sender_auth import AuthPolicy, check_sender, trusted_results
from tests.support.desk import OFFICES, running_desk

ROOT = Path(__file__).resolve().parent.parent.parent
ZWFW = OFFICES["zwfw"]
MX = "mx.126.com"
POLICY = AuthPolicy(trusted=(MX,))


def verified(sender: str, *headers: str, policy: AuthPolicy = POLICY) -> bool:
    return check_sender(list(headers), sender, policy).verified


@pytest.mark.parametrize("domain, org", [
    ("qq.com", "qq.com"), ("bounce.qq.com", "qq.com"), ("mail.xam.gov.cn", "xam.gov.cn"), ("a.b.xam.gov.cn", "xam.gov.cn"),
    ("xam.gov.cn", "xam.gov.cn"), ("gov.cn", "gov.cn"), ("x.co.com.cn", "co.com.cn"), ("mail.xam.nm.cn", "xam.nm.cn"),
    ("news.example.org", "example.org"), ("EXAMPLE.ORG.", "example.org"), ("m.163.com", "163.com"), ("a.mail.edu.cn", "mail.edu.cn"),
])
def test_organisational_domains_without_the_network(domain, org):
    assert organisational_domain(domain) == org


@pytest.mark.parametrize("sender, headers, ok", [
    # Aligned passes (relaxed: the same organisational domain), any one of them suffices, as in DMARC.
    ("jyj@qq.com", [f"{MX}; spf=pass smtp.mailfrom=jyj@qq.com; dkim=pass header.d=qq.com; dmarc=pass header.from=qq.com"], True),
    ("jyj@qq.com", [f"{MX}; spf=pass smtp.mailfrom=bounce@mail.qq.com"], True),
    ("jyj@qq.com", [f"{MX}; dkim=pass header.i=@qq.com header.s=s201512"], True),
    ("jyj@qq.com", [f"{MX}; spf=fail smtp.mailfrom=list@lists.example.net; dmarc=pass (p=QUARANTINE) header.from=qq.com"], True),
    ("u@a.xam.gov.cn", [f"{MX}; dkim=pass header.d=xam.gov.cn"], True),
    # The attacker authenticated their own domain, not the sender's.
    ("jyj@qq.com", [f"{MX}; spf=pass smtp.mailfrom=bounce@attacker.example; dkim=pass header.d=attacker.example; dmarc=none header.from=qq.com"], False),
    ("jyj@example.com", [f"{MX}; spf=pass smtp.mailfrom=bounce@attacker.example; dkim=pass header.d=attacker.example; dmarc=none header.from=example.com"], False),
    ("jyj@qq.com", [f"{MX}; dmarc=pass header.from=attacker.example"], False),
    ("jyj@qq.com", [f"{MX}; dkim=pass header.d=qq.com.attacker.example"], False),
    # Failures, also when smtp.mailfrom is on a sibling subdomain of the From domain.
    ("u@a.xam.gov.cn", [f"{MX}; spf=fail smtp.mailfrom=bounce@b.xam.gov.cn"], False),
    ("jyj@example.com", [f"{MX}; spf=softfail smtp.mailfrom=example.com; dkim=fail header.d=example.com"], False),
    ("jyj@example.com", [f"{MX}; dmarc=fail header.from=example.com"], False),
    ("jyj@example.com", [f"{MX}; dkim=fail"], False),  # no domain named: about the message itself
    # Required domains need a pass; other domains only must not fail.
    ("jyj@qq.com", [f"{MX}; spf=none; dkim=none; dmarc=none"], False),
    ("jyj@163.com", [], False),
    ("jyj@vip.126.com", [f"{MX}; spf=neutral smtp.mailfrom=vip.126.com"], False),
    ("jyj@example.com", [f"{MX}; spf=none smtp.mailfrom=example.com; dkim=none"], True),
    ("jyj@example.com", [], True),
    # Only the topmost trusted header counts; other authserv-ids are ignored wherever they sit.
    ("jyj@example.com", ["evil.example; spf=pass smtp.mailfrom=example.com", f"{MX}; spf=fail smtp.mailfrom=example.com"], False),
    ("jyj@qq.com", ["evil.example; dmarc=pass header.from=qq.com", f"{MX}; dmarc=fail header.from=qq.com"], False),
    ("jyj@qq.com", [f"{MX}; dmarc=fail header.from=qq.com", f"{MX}; dmarc=pass header.from=qq.com"], False),
    ("jyj@qq.com", [f"{MX}; dmarc=pass header.from=qq.com", f"{MX}; dmarc=fail header.from=qq.com"], True),
    ("jyj@qq.com", ["mx.126.com.evil.example; dmarc=pass header.from=qq.com"], False),
    # Comments, versions, quoted values and case are read as RFC 8601 writes them.
    ("jyj@qq.com", [f"{MX.upper()} 1 (our relay); SPF=Pass (sender IP is 1.2.3.4) smtp.mailfrom=\"jyj@qq.com\""], True),
    ("jyj@qq.com", [f"{MX} (x (nested) y); dkim/1=pass header.d=qq.com"], True),
])
def test_who_vouches_for_the_sender(sender, headers, ok):
    assert verified(sender, *headers) is ok


def test_required_domains_are_configurable_and_only_trusted_servers_are_read():
    assert not verified("jyj@qq.com", f"{MX}; spf=none")
    assert verified("jyj@qq.com", f"{MX}; spf=none", policy=AuthPolicy(trusted=(MX,), required=()))
    assert not verified("u@unit.gov.cn", f"{MX}; spf=none", policy=AuthPolicy(trusted=(MX,), required=("unit.gov.cn",)))
    assert AuthPolicy(trusted=(MX,), required=("unit.gov.cn",)).requires("mail.unit.gov.cn")
    assert organisational_domain("a.b.xam.example", ["xam.example"]) == "b.xam.example"
    assert trusted_results(["other.example; spf=fail", f"{MX}; spf=pass smtp.mailfrom=a@b.cn"], (MX,))[0].result == "pass"


FORGED = ["evil.example; spf=pass smtp.mailfrom={d}; dkim=pass header.d={d}; dmarc=pass header.from={d}",
          "evil.example; spf=fail smtp.mailfrom={d}; dmarc=fail header.from={d}",
          "relay.example 1; dkim=pass header.d={d}", "garbage without a semicolon", "(comment only) ;"]
TRUSTED = ["{mx}; spf={r} smtp.mailfrom=bounce@{s}; dkim={r2} header.d={s2}", "{mx}; dmarc={r} header.from={d}", "{mx}; spf={r}", "{mx}; none"]
RESULTS = ["pass", "fail", "softfail", "none", "neutral", "temperror", "permerror"]


def test_headers_of_other_servers_never_change_the_verdict():
    rng = random.Random(21)
    for _ in range(600):
        domain = rng.choice(["qq.com", "example.com", "xam.gov.cn"])
        sender = f"u@{rng.choice(['', 'mail.'])}{domain}"
        fill = {"mx": MX, "d": domain, "r": rng.choice(RESULTS), "r2": rng.choice(RESULTS),
                "s": rng.choice([domain, f"b.{domain}", "attacker.example"]), "s2": rng.choice([domain, "attacker.example"])}
        ours = rng.choice(TRUSTED).format(**fill)
        alone = verified(sender, ours)
        above = [rng.choice(FORGED).format(**fill) for _ in range(rng.randrange(3))]
        below = [rng.choice(FORGED + TRUSTED).format(**fill) for _ in range(rng.randrange(3))]
        assert verified(sender, *above, ours, *below) is alone, (sender, above, ours, below)


# ---------------------------------------------------------------- over dovecot, and `mailbot process` of the same files

CASES = [  # (case, sender, Authentication-Results top to bottom, outcome)
    ("both-fail", "jyj@example.com", [f"{MX}; spf=fail smtp.mailfrom=jyj@example.com; dkim=fail header.d=example.com"], "held_for_review"),
    ("unaligned-pass", "jyj@example.com", [f"{MX}; spf=pass smtp.mailfrom=bounce@attacker.example; dkim=pass header.d=attacker.example; dmarc=none header.from=example.com"], "held_for_review"),
    ("untrusted-on-top", "jyj@example.com", ["evil.example; spf=pass smtp.mailfrom=jyj@example.com", f"{MX}; spf=fail smtp.mailfrom=jyj@example.com; dkim=fail header.d=example.com"], "held_for_review"),
    ("sibling-fail", "jyj@a.xam.gov.cn", [f"{MX}; spf=fail smtp.mailfrom=bounce@b.xam.gov.cn"], "held_for_review"),
    ("qq-unverified", "jyj@qq.com", [f"{MX}; spf=none smtp.mailfrom=jyj@qq.com; dkim=none"], "held_for_review"),
    ("qq-aligned", "jyj@qq.com", [f"{MX}; spf=pass smtp.mailfrom=jyj@qq.com; dkim=pass header.d=qq.com; dmarc=pass header.from=qq.com"], "accepted"),
    ("sibling-aligned-pass", "jyj@a.xam.gov.cn", [f"{MX}; dkim=pass header.d=xam.gov.cn"], "accepted"),
    ("no-failure", "jyj@example.com", [f"{MX}; spf=none smtp.mailfrom=jyj@example.com"], "accepted"),
]


def case_message(app, n: int, case: str, sender: str, results: list[str]) -> bytes:
    """A valid 附件3 of 兴安盟教育局, its first row named after the case (so no two are duplicates)."""
    rows = rows_attachment3()
    rows[0]["事项名称"] = f"教师资格认定（{case}）"
    when = dt.datetime(2023, 1, 10, 9, n, tzinfo=app.campaign.timezone)
    raw = _mail(sender, ZWFW, f"附件3 {case}", when, "请查收。", [("附件3.xlsx", form_xlsx(app.campaign.form("attachment3"), "兴安盟教育局", rows), XLSX)])
    return "".join(f"Authentication-Results: {v}\r\n" for v in results).encode() + raw


def adopt_addresses(app) -> None:
    with app.ledger.transaction() as s:
        for address in ("jyj@qq.com", "jyj@a.xam.gov.cn"):
            add_email(s, "兴安盟教育局", address)


@pytest.fixture
def desk(dovecot, tmp_path, db_url):
    extra = f'trusted_auth = ["{MX}"]\n[sending]\nmin_interval = 0\nper_recipient = 0\n'
    with running_desk(dovecot, tmp_path, db_url, extra=extra) as made:
        yield made


@pytest.mark.imap
def test_the_worker_and_mailbot_process_judge_senders_alike(desk, tmp_path):
    adopt_addresses(desk.app)
    files = []
    for n, (case, sender, results, _) in enumerate(CASES):
        raw = case_message(desk.app, n, case, sender, results)
        desk.send(raw, ZWFW)
        files.append(tmp_path / f"{n}-{case}.eml")
        files[-1].write_bytes(raw)
    poll_all(desk.app)
    with desk.app.ledger.session() as s:
        by_worker = {m.subject.split()[-1]: m.outcome for m in s.scalars(select(MessageRow))}
    assert by_worker == {case: outcome for case, _, _, outcome in CASES}

    other_db = f"sqlite:///{tmp_path}/by-hand.db"
    hand = App(db=other_db)
    adopt_addresses(hand)
    hand.ledger.dispose()
    cmd = [sys.executable, "-m", "mailbot", "--db", other_db, "--settings", str(desk.settings_file),
           "process", "--json", "--mailbox", ZWFW, *map(str, files)]
    done = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    by_hand = {json.loads(line)["subject"].split()[-1]: json.loads(line)["outcome"] for line in done.stdout.splitlines()}
    assert by_hand == by_worker
