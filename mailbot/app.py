"""Wire the parts together for a command: the ledger, the campaign, the roster and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from mailbot.config import DEFAULT_ROSTER, load_campaign
from routing.campaign import Campaign

if TYPE_CHECKING:  # the ledger and the pipeline pull in SQLAlchemy and the parsers: imported when first used
    from mailbot.ledger import Ledger
    from mailbot.pipeline import Pipeline


@dataclass
class App:
    """What a command needs, built lazily from the global options (--db, --campaign, --settings)."""

    db: str | None = None
    campaign_file: str | None = None
    settings_file: str | None = None

    @classmethod
    def from_args(cls, args) -> App:
        """Build from parsed command-line arguments."""
        return cls(db=getattr(args, "db", None), campaign_file=getattr(args, "campaign", None), settings_file=getattr(args, "settings", None))

    @cached_property
    def campaign(self) -> Campaign:
        """The campaign in force."""
        return load_campaign(self.campaign_file)

    @cached_property
    def ledger(self) -> Ledger:
        """The ledger, with the shipped roster imported on first use."""
        from mailbot.ledger import Ledger
        from mailbot.units import ensure_roster

        ledger = Ledger(self.db)
        with ledger.transaction() as session:
            ensure_roster(session, DEFAULT_ROSTER)
        return ledger

    @cached_property
    def settings(self):
        """The site settings (inboxes, SMTP accounts), or None when no settings file exists."""
        from mailbot.worker_config import load_site_settings

        return load_site_settings(self.settings_file)

    @cached_property
    def parse_child(self):
        """This process's one parse child (mailbot.parse_ahead), kept across passes; None when settings turn it off.

        The child process itself starts with the first message and stops when this App is dropped or the process ends.
        """
        settings = self.settings
        if settings is None or not settings.parse_ahead:
            return None
        from mailbot.parse_ahead import ParseAhead
        from parsers.marking import MarkingTerms

        terms = MarkingTerms.from_config(self.campaign.classified)
        return ParseAhead(self.campaign, terms, settings.parse_limits, settings.parse_policy)

    def pipeline_options(self) -> dict:
        """Pipeline options from the settings: our own addresses, coordinators, trusted Authentication-Results."""
        from routing.auth import DEFAULT_REQUIRED

        settings = self.settings
        own = [i.address for i in settings.inboxes] + [o.address for o in settings.outgoing.values()] if settings else []
        return {"own_addresses": own, "trusted_auth": tuple(getattr(settings, "trusted_auth", ()) or ()),
                "auth_required_domains": settings.auth_required_domains if settings else DEFAULT_REQUIRED,
                "auth_public_suffixes": settings.auth_public_suffixes if settings else (),
                "coordinators": dict(getattr(settings, "coordinators", {}) or {}),
                "limits": settings.parse_limits if settings else None}

    def pipeline(self, **options) -> Pipeline:
        """A pipeline over this ledger and campaign."""
        from mailbot.pipeline import Pipeline

        return Pipeline(self.ledger, self.campaign, options=options)
