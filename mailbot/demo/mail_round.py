"""The demo's mail round: seed local servers with the sample inbox, run the real intake and outbox over them."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from mailbot.app import App
from mailbot.demo.inbox import Sample
from mailbot.demo.servers import LocalImap, LocalSmtp, Received
from mailbot.intake.pipeline import Pipeline
from mailbot.intake.poll import PollReport, poll_all
from mailbot.outbox.send import drain
from mailbot.settings import Credentials, Inbox, Outgoing, Server, Settings


@dataclass
class ReplayApp(App):
    """The App replaying January 2023: each message is decided a minute after it arrived; verdicts are kept."""

    verdicts: dict[tuple[str, int | None], dict] = field(default_factory=dict)

    def pipeline(self, options=None) -> Pipeline:
        """A pipeline whose clock stands just after the delivery in hand."""
        return ReplayPipeline(self.ledger, self.campaign, options=options, terms=self.config.marking_terms, verdicts=self.verdicts)


class ReplayPipeline(Pipeline):
    """Pipeline with the replay clock; records each verdict by (mailbox, UID)."""

    def __init__(self, *args, verdicts: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.verdicts = verdicts

    def process(self, delivery):
        """Decide at arrival + 1 minute, as if the robot had been running in January 2023."""
        self.now = lambda: delivery.received_at + dt.timedelta(minutes=1)
        verdict = super().process(delivery)
        self.verdicts[(delivery.mailbox, delivery.uid)] = verdict
        return verdict


@dataclass
class MailRound:
    """What went through the servers: verdicts in sample order, the inbox passes, what the SMTP sink received."""

    verdicts: list[tuple[Sample, dict]]
    reports: list[PollReport]
    received: list[Received]
    imap_at: str
    smtp_at: str


def run_mail_round(app: ReplayApp, samples: list[Sample], workdir: Path) -> MailRound:
    """Start the servers, deliver the samples, run intake and the outbox drain, stop the servers."""
    users = {sample.mailbox: secrets.token_hex(8) for sample in samples}
    imap = LocalImap(users).start()
    smtp = LocalSmtp()
    try:
        smtp.start()
        uids = [((s.mailbox, imap.append(s.mailbox, s.raw, s.received_at)), s) for s in samples]
        app.settings = demo_settings(app.campaign, imap, smtp, users, workdir)
        reports = poll_all(app)
        drain(app)
    finally:
        smtp.stop()
        imap.stop()
    verdicts = [(sample, app.verdicts.get(key, {})) for key, sample in uids]
    return MailRound(verdicts, reports, smtp.received, f"{imap.host}:{imap.port}", f"{smtp.host}:{smtp.port}")


def demo_settings(campaign, imap: LocalImap, smtp: LocalSmtp, users: dict[str, str], workdir: Path) -> Settings:
    """Settings pointing every office at the local servers (secrets in files, as in production)."""
    inboxes, outgoing = [], {}
    for address, password in users.items():
        secret = workdir / f"{address}.secret"
        secret.write_text(password, encoding="utf-8")
        secret.chmod(0o600)
        office = campaign.office_for_inbox(address).key
        inboxes.append(Inbox(office, Server(imap.host, imap.port, "plain", 10.0), Credentials(address, password_file=str(secret))))
        # The sink takes mail without AUTH: no secret configured means no login (loopback only).
        outgoing[office] = Outgoing(office, Server(smtp.host, smtp.port, "plain", 10.0), Credentials(address))
    return Settings(inboxes=tuple(inboxes), outgoing=outgoing, sending={"min_interval": 0, "per_recipient": 0})

