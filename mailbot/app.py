"""Wire the parts together for a command: the ledger, the campaign, the roster and the pipeline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from mailbot.config import load_campaign, roster_path, settings_campaign
from mailbot.ledger import Ledger
from mailbot.pipeline import Pipeline
from mailbot.units import ensure_roster
from routing.auth import DEFAULT_REQUIRED
from routing.campaign import Campaign


@dataclass
class App:
    """What a command needs, built lazily from the global options (--db, --campaign, --settings)."""

    db: str | None = None
    campaign_file: str | None = None
    settings_file: str | None = None

    @classmethod
    def from_args(cls, args) -> "App":
        """Build from parsed command-line arguments."""
        settings_file = getattr(args, "settings", None)
        chosen = getattr(args, "campaign", None)
        if not chosen and settings_file and not os.environ.get("MAILBOT_CAMPAIGN"):
            chosen = settings_campaign(settings_file)  # the deployment's one setting, in the file --settings names
        return cls(db=getattr(args, "db", None), campaign_file=chosen, settings_file=settings_file)

    @cached_property
    def campaign(self) -> Campaign:
        """The campaign in force."""
        return load_campaign(self.campaign_file, self.settings_file)

    @cached_property
    def ledger(self) -> Ledger:
        """The ledger, scoped to this campaign, with the campaign's own roster imported on first use."""
        campaign = self.campaign
        ledger = Ledger(self.db, campaign=campaign.id)
        with ledger.transaction() as session:
            ensure_roster(session, roster_path(self.campaign_file, self.settings_file), campaign.categories, campaign.id)
        return ledger

    @cached_property
    def settings(self):
        """The site settings (inboxes, SMTP accounts), or None when no settings file exists."""
        from mailbot.worker_config import load_site_settings

        return load_site_settings(self.settings_file)

    def inboxes(self, settings=None) -> list:
        """The settings' inboxes of this campaign's offices: a deployment running several campaigns lists them all,
        and each campaign's worker reads only its own."""
        settings = self.settings if settings is None else settings
        return [i for i in (settings.inboxes if settings else ()) if i.office in self.campaign.offices]

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
        settings = self.settings
        own = [i.address for i in settings.inboxes] + [o.address for o in settings.outgoing.values()] if settings else []
        return {"own_addresses": own, "trusted_auth": tuple(getattr(settings, "trusted_auth", ()) or ()),
                "auth_required_domains": settings.auth_required_domains if settings else DEFAULT_REQUIRED,
                "auth_public_suffixes": settings.auth_public_suffixes if settings else (),
                "coordinators": dict(getattr(settings, "coordinators", {}) or {}),
                "limits": settings.parse_limits if settings else None}

    def pipeline(self, **options) -> Pipeline:
        """A pipeline over this ledger and campaign."""
        return Pipeline(self.ledger, self.campaign, options=options)
