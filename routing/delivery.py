"""The one object that flows through the chain: a received message and everything learnt about it."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from parsers.mail.attachment import Attachment
from parsers.problems import Problem
from parsers.returns import ParsedReturn

if TYPE_CHECKING:
    from routing.model.campaign import Office
    from routing.model.roster import Unit
    from routing.stages.prepare import Prepared


class Outcome(str, enum.Enum):
    """The verdict on a message (a stable contract: see the README)."""

    ACCEPTED = "accepted"
    INVALID = "invalid"
    REFUSED_CLASSIFIED = "refused_classified"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    UNSUPPORTED = "unsupported"
    NO_FORMS = "no_forms"
    UNKNOWN_SENDER = "unknown_sender"
    HELD_FOR_REVIEW = "held_for_review"

    @property
    def registers(self) -> bool:
        """Whether this outcome registers submissions for a unit."""
        return self in (Outcome.ACCEPTED, Outcome.INVALID)


class Earlier(TypedDict, total=False):
    """The message this one repeats, as the runner found it in the ledger (mailbot.intake.pipeline.find_duplicate)."""

    id: int
    received_at: dt.datetime
    receipt_no: str | None
    answered_at: dt.datetime | None
    sender: str
    outcome: str


@dataclass
class Delivery:
    """A message delivered to one of our inboxes, and every stage's findings about it."""

    raw: bytes
    mailbox: str
    received_at: dt.datetime
    folder: str = "INBOX"
    uidvalidity: int | None = None
    uid: int | None = None
    # Filled by decoding (parsers.mail.decode)
    message_id: str = ""
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    auth_results: list[str] = field(default_factory=list)  # every Authentication-Results header, topmost first
    body_text: str = ""
    own_text: str | None = None  # the sender's own words: the body without quoted mail (parsers.mail.quoted)
    attachments: list[Attachment] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # "超大附件" download links, never fetched
    gate_texts: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, place, text) only the 涉密 gate reads
    prepared: Prepared | None = None  # the gate's and parsers' work (done ahead by the runner, or by the rules that need it)
    # Filled by the chain
    returns: list[ParsedReturn] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unit: Unit | None = None
    unit_flags: list[str] = field(default_factory=list)
    office: Office | None = None  # the office owning the inbox
    handlers: dict[str, str] = field(default_factory=dict)  # return kind -> office key
    misrouted: bool = False
    overdue: bool = False
    outcome: Outcome | None = None
    reason: str = ""  # the rule that decided
    detail: str = ""  # a Chinese explanation for the reply or the reviewer
    trail: list[str] = field(default_factory=list)
    duplicate_of: Earlier | None = None
    withhold_content: bool = False  # the 涉密 guarantee: nothing of the content (subject, files, rows) is kept anywhere
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the raw bytes: the identity of a message when UIDVALIDITY changes."""
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def attachments_hash(self) -> str:
        """SHA-256 over the attachments' digests: equal for the same files resent."""
        digest = hashlib.sha256()
        for sha in sorted(a.sha256 for a in self.attachments):
            digest.update(sha.encode())
        return digest.hexdigest()

    @property
    def own_words(self) -> str:
        """What the sender wrote, without the earlier mail a reply quotes; only the readers use it, never the gate."""
        if self.own_text is None:
            from parsers.mail.quoted import own_text

            return own_text(self.body_text)
        return self.own_text

    @property
    def classified(self) -> bool:
        """Whether the gate refused this message (its content must not be kept)."""
        return self.outcome is Outcome.REFUSED_CLASSIFIED

    def decide(self, outcome: Outcome, detail: str = "", *, reason: str = "") -> Outcome:
        """Record the verdict; the chain names the rule that gave it (its Link), the runner names its own reasons."""
        self.outcome, self.reason, self.detail = outcome, reason, detail
        return outcome
