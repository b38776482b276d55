"""What the chain may consult besides the message: the campaign, the roster, gate terms and trust policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from routing.auth import AuthPolicy
from routing.campaign import Campaign

if TYPE_CHECKING:
    from parsers.marking_terms import MarkingTerms
    from routing.delivery import Delivery
    from routing.loop import LoopFacts
    from routing.roster import Roster


@dataclass(frozen=True)
class Context:
    """Read-only data handed to every rule (the runner builds it; rules never do I/O)."""

    campaign: Campaign
    roster: Roster
    marking_terms: MarkingTerms | None = None  # None: no 涉密 gate (tests of other rules)
    own_addresses: frozenset[str] = frozenset()
    trusted_auth: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results we believe
    auth: AuthPolicy | None = None  # the whole sender policy; None: trusted_auth with the default domains
    options: dict[str, Any] = field(default_factory=dict)  # limits (parsers.Limits), loop_policy (routing.loop.LoopPolicy)
    history: History | None = None  # read-only lookups into the ledger, asked only by the rules that need them


class History(Protocol):
    """What the runner can tell the chain about earlier mail (mailbot.history.LedgerHistory answers from the ledger)."""

    def roster_kinds(self, unit_name: str) -> frozenset[str]:
        """The kinds of which the unit has a version sent from one of its roster addresses (or accepted by a person)."""

    def loop_facts(self, delivery: Delivery, fingerprint: str, window: dt.timedelta) -> LoopFacts:
        """What routing.loop needs to know about the delivery's sender."""
