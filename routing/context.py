"""What the chain may consult besides the message: the campaign, the roster, gate terms and trust policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from routing.model.campaign import Campaign
from routing.stages.sender_auth import AuthPolicy

if TYPE_CHECKING:
    from parsers.gate.terms import MarkingTerms
    from routing.delivery import Delivery
    from routing.model.roster import Roster


@dataclass(frozen=True)
class Context:
    """Read-only data handed to every rule (the runner builds it; rules never do I/O)."""

    campaign: Campaign
    roster: Roster
    marking_terms: MarkingTerms | None = None  # None: no 涉密 gate (tests of other rules)
    own_addresses: frozenset[str] = frozenset()
    trusted_auth: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results we believe
    auth: AuthPolicy | None = None  # the whole sender policy; None: trusted_auth with the default domains
    options: dict[str, Any] = field(default_factory=dict)  # limits (parsers.Limits), loop_policy (routing.rules.loop.LoopPolicy)
    history: History | None = None  # read-only lookups into the ledger, asked only by the rules that need them


@dataclass(frozen=True)
class LoopFacts:
    """What the ledger knows about the sender (the runner's History answers; the rule decides)."""

    same_text_answered: bool = False  # an earlier message with this fingerprint, within the window, was answered
    our_bodies: tuple[str, ...] = ()  # our latest mails to the sender
    our_files: frozenset[str] = frozenset()  # SHA-256 of every file we sent the sender
    bare_answered: int = 0  # answers within the window to the sender's messages that carried no attachment


class History(Protocol):
    """What the runner can tell the chain about earlier mail (mailbot.ledger.history.LedgerHistory answers from the ledger)."""

    def roster_kinds(self, unit_name: str) -> frozenset[str]:
        """The kinds of which the unit has a version sent from one of its roster addresses (or accepted by a person)."""

    def loop_facts(self, delivery: Delivery, fingerprint: str, window: dt.timedelta) -> LoopFacts:
        """What routing.rules.loop needs to know about the delivery's sender."""
