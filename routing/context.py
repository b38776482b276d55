"""What the chain may consult besides the message: the campaign, the roster, gate terms, trust, limits and loop policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from parsers.safety.limits import DEFAULT_LIMITS, Limits
from routing.model.campaign import Campaign
from routing.stages.sender_auth import AuthPolicy

if TYPE_CHECKING:
    from parsers.gate.terms import MarkingTerms
    from routing.delivery import Delivery
    from routing.model.roster import Roster


@dataclass(frozen=True)
class LoopPolicy:
    """How far back "again" looks, and how many answers to mail without attachments one address gets in that time."""

    # Here rather than in routing.rules.loop, which reads it: the context carries it, and the rule imports the context.
    window: dt.timedelta = dt.timedelta(hours=1)
    bare_answers: int = 5
    echo_share: float = 0.6  # of one of our mails' lines found in the sender's own words: our mail, come back


@dataclass(frozen=True)
class Context:
    """Read-only data handed to every rule (the runner builds it; rules never do I/O)."""

    campaign: Campaign
    roster: Roster
    marking_terms: MarkingTerms | None = None  # None: no 涉密 gate (tests of other rules)
    own_addresses: frozenset[str] = frozenset()
    trusted_auth: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results we believe
    auth: AuthPolicy | None = None  # the whole sender policy; None: trusted_auth with the default domains
    limits: Limits = DEFAULT_LIMITS  # the parsers' and the gate's caps on one file (the site's [limits])
    loop_policy: LoopPolicy = LoopPolicy()
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
