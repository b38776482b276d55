"""What the chain may consult besides the message: the campaign, the roster, gate terms and trust policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from routing.auth import AuthPolicy
from routing.campaign import Campaign


@dataclass(frozen=True)
class Context:
    """Read-only data handed to every rule (the runner builds it; rules never do I/O)."""

    campaign: Campaign
    roster: Any  # routing.roster.Roster
    marking_terms: Any = None  # parsers.marking.MarkingTerms
    own_addresses: frozenset[str] = frozenset()
    trusted_auth: tuple[str, ...] = ()  # authserv-ids whose Authentication-Results we believe
    auth: AuthPolicy | None = None  # the whole sender policy; None: trusted_auth with the default domains
    options: dict[str, Any] = field(default_factory=dict)
    history: History | None = None  # read-only lookups into the ledger, asked only by the rules that need them


class History(Protocol):
    """What the runner can tell the chain about earlier mail (mailbot.history.LedgerHistory answers from the ledger)."""

    def roster_kinds(self, unit_name: str) -> frozenset[str]:
        """The kinds of which the unit has a version sent from one of its roster addresses (or accepted by a person)."""

    def loop_facts(self, delivery: Any, fingerprint: str, window: dt.timedelta) -> Any:
        """routing.loop.LoopFacts about the delivery's sender."""
