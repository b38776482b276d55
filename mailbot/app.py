"""Wire the parts together for a command: the configuration, the ledger, the roster and the pipeline."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from mailbot.config import Config, load_config, roster_path, settings_campaign
from routing.model.campaign import Campaign

if TYPE_CHECKING:  # the ledger and the pipeline pull in SQLAlchemy and the parsers: imported when first used
    from mailbot.intake.options import PipelineOptions
    from mailbot.intake.pipeline import Pipeline
    from mailbot.ledger import Ledger


@dataclass
class App:
    """What a command needs, built lazily from the global options (--db, --campaign, --settings).

    The configuration is one Config object (mailbot.config): a reload swaps it whole, and the parse child,
    which holds the campaign and the 涉密 terms it was started with, is tied to the Config it was built from.
    """

    db: str | None = None
    campaign_file: str | None = None
    settings_file: str | None = None
    _child: tuple | None = field(default=None, init=False, repr=False)  # (Config, ParseAhead | None)
    _child_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @classmethod
    def from_args(cls, args) -> App:
        """Build from parsed command-line arguments."""
        settings_file = getattr(args, "settings", None)
        chosen = getattr(args, "campaign", None)
        if not chosen and settings_file and not os.environ.get("MAILBOT_CAMPAIGN"):
            chosen = settings_campaign(settings_file)  # the deployment's one setting, in the file --settings names
        return cls(db=getattr(args, "db", None), campaign_file=chosen, settings_file=settings_file)

    @cached_property
    def config(self) -> Config:
        """The configuration in force (read on first use)."""
        return load_config(self.campaign_file, self.settings_file)

    def swap(self, config: Config) -> None:
        """Put a new configuration in force, whole; the next parse child is built from it."""
        self.__dict__["config"] = config

    @property
    def campaign(self) -> Campaign:
        """The campaign in force."""
        return self.config.campaign

    @property
    def settings(self):
        """The site settings (inboxes, SMTP accounts), or None when no settings file exists."""
        return self.config.settings

    @settings.setter
    def settings(self, value) -> None:
        self.swap(self.config.with_settings(value))

    @cached_property
    def ledger(self) -> Ledger:
        """The ledger (--db, else MAILBOT_DB, else the settings' database_url), scoped to this campaign, with the
        campaign's own roster imported on first use."""
        from mailbot.ledger import Ledger
        from mailbot.ledger.units import ensure_roster

        campaign = self.campaign
        ledger = Ledger(self.database_url, campaign=campaign.id)
        with ledger.transaction() as session:
            ensure_roster(session, roster_path(self.campaign_file, self.settings_file), campaign.categories, campaign.id)
        return ledger

    def inboxes(self, settings=None) -> list:
        """The settings' inboxes of this campaign's offices: a deployment running several campaigns lists them all,
        and each campaign's worker reads only its own."""
        settings = self.settings if settings is None else settings
        return [i for i in (settings.inboxes if settings else ()) if i.office in self.campaign.offices]

    @property
    def database_url(self) -> str:
        """Where the ledger lives: --db, else MAILBOT_DB, else the settings file's database_url, else ./var/mailbot.db."""
        # The configuration is read only when neither names the database: a command given --db reads no settings for it.
        from mailbot.ledger.store import resolve_url

        return resolve_url(self.db or os.environ.get("MAILBOT_DB") or self.config.database_url)

    @property
    def plain_database_url(self) -> str | None:
        """database_url told without SQLAlchemy, for the quick read paths; None when built from MAILBOT_DB_HOST's parts."""
        from mailbot.sqlite_file import DEFAULT_URL

        given = self.db or os.environ.get("MAILBOT_DB") or self.config.database_url
        return given or (None if os.environ.get("MAILBOT_DB_HOST") else DEFAULT_URL)

    @property
    def parse_child(self):
        """The parse child (mailbot.intake.parse_child) of the Config in force, kept across passes; None when settings turn it off.

        After a reload the next pass gets a child built from the new Config; the old child ends with the pass that holds it.
        """
        config = self.config
        with self._child_lock:
            if self._child is None or self._child[0] is not config:
                self._child = (config, _parse_child(config))
            return self._child[1]

    def pipeline(self, options: PipelineOptions | None = None) -> Pipeline:
        """A pipeline over this ledger and the configuration in force; the worker passes ``config.pipeline_options()``,
        without them the pipeline knows none of the site's settings (files fed by hand, tests)."""
        from mailbot.intake.pipeline import Pipeline

        config = self.config
        return Pipeline(self.ledger, config.campaign, options=options, terms=config.marking_terms)


def _parse_child(config: Config):
    """A ParseAhead over the config's campaign, terms and limits (its process starts with the first message)."""
    settings = config.settings
    if settings is None or not settings.parse_ahead:
        return None
    from mailbot.intake.parse_child import ParseAhead

    return ParseAhead(config.campaign, config.marking_terms, settings.parse_limits, settings.parse_policy)
