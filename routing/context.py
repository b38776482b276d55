"""What the chain may consult besides the message: the campaign, the roster, gate terms and trust policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
