"""The one configuration object: campaign, site settings, reminder policy and 涉密 terms, read together, swapped whole."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailbot.errors import ConfigError
from mailbot.intake.options import PipelineOptions
from mailbot.worker_config import coordinators as office_coordinators
from mailbot.worker_config import load_policy
from routing.errors import CampaignError
from routing.model.campaign import Campaign
from routing.model.campaign_load import build_campaign
from routing.model.schedule import ReminderPolicy
from routing.stages.sender_auth import AuthPolicy

# Relative to the working directory (a deployment's own tree), never to where the package is installed.
DEFAULT_FOLDER = Path("config") / "campaigns" / "liangyou"
CAMPAIGN_FILE = "campaign.toml"
ROSTER_FILE = "roster.csv"
DEFAULT_CAMPAIGN = DEFAULT_FOLDER / CAMPAIGN_FILE
DEFAULT_ROSTER = DEFAULT_FOLDER / ROSTER_FILE


@dataclass(frozen=True)
class Config:
    """Everything the service is configured with; never edited in place: a reload builds a new one."""

    campaign: Campaign
    policy: ReminderPolicy
    marking_terms: Any  # parsers.gate.scan.MarkingTerms, compiled from the campaign's [classified]
    settings: Any = None  # mailbot.settings.Settings, or None without a settings file (files fed by hand, tests)
    campaign_file: Path | None = None
    settings_file: Path | None = None
    stamps: tuple = ()  # the files' modification times when read: a change on disk means a reload

    @property
    def coordinators(self) -> dict[str, str]:
        """Each office's coordinator address: the settings' ``coordinator`` if given, else the office's own inbox."""
        return office_coordinators(self.campaign, self.settings)

    @property
    def intake_every(self) -> int:
        """Seconds between mailbox polls: the settings' poll_interval when given, else the policy's."""
        value = getattr(self.settings, "poll_interval", None)
        return int(value) if value else self.policy.intake_every

    @property
    def database_url(self) -> str | None:
        """The settings file's database address, if it gives one (--db and MAILBOT_DB come first)."""
        return getattr(self.settings, "database_url", None) or None

    def pipeline_options(self) -> PipelineOptions:
        """The pipeline's options: our own addresses, trusted Authentication-Results, coordinators, parse limits."""
        s = self.settings
        if s is None:
            return PipelineOptions(coordinators=self.coordinators)
        own = tuple(i.address for i in s.inboxes) + tuple(o.address for o in s.outgoing.values())
        auth = AuthPolicy(tuple(s.trusted_auth or ()), tuple(s.auth_required_domains), tuple(s.auth_public_suffixes))
        return PipelineOptions(own_addresses=own, auth=auth, coordinators=self.coordinators, limits=s.parse_limits)

    def with_settings(self, settings) -> Config:
        """The same configuration over other site settings (the demo's local servers)."""
        return dataclasses.replace(self, settings=settings)

    def changed_on_disk(self) -> bool:
        """Whether the campaign or settings file was modified since this configuration was read."""
        return bool(self.stamps) and stamps(self.campaign_file, self.settings_file) != self.stamps


def load_config(campaign_file: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> Config:
    """Read the campaign file, the site settings and the reminder policy afresh; a bad file raises ConfigError."""
    from mailbot.settings import find_settings_path, load_settings

    campaign_at = campaign_path(campaign_file, settings_file)
    settings_at = find_settings_path(str(settings_file) if settings_file else None)
    read_at = stamps(campaign_at, settings_at)
    campaign = load_campaign(campaign_at)
    settings = load_settings(settings_at) if settings_at is not None else None
    policy = load_policy(campaign, settings, campaign_file=campaign_at, settings_file=settings_at)
    return Config(campaign, policy, marking_terms(campaign, campaign_at), settings, campaign_at, settings_at, read_at)


def database_url(db: str | None, settings_file: str | None = None) -> str:
    """--db, else MAILBOT_DB, else the settings file's database_url, else ./var/mailbot.db (for commands without an App)."""
    from mailbot.ledger.store import resolve_url
    from mailbot.settings import find_settings_path, load_settings

    chosen = db or os.environ.get("MAILBOT_DB")
    if not chosen:
        path = find_settings_path(settings_file)
        chosen = load_settings(path).database_url if path is not None else None
    return resolve_url(chosen)


def marking_terms(campaign: Campaign, where: Path):
    """The 涉密 gate's terms from the campaign's [classified]; an operator's bad pattern fails here, not on a message."""
    from parsers.gate.scan import MarkingTerms

    try:
        return MarkingTerms.from_config(campaign.classified)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"活动配置文件 {where} 有误：{exc}") from exc


def stamps(*paths: Path | None) -> tuple:
    """Each file's modification time (None for a missing one)."""
    return tuple(_mtime(p) for p in paths)


def _mtime(path: Path | None) -> float | None:
    try:
        return path.stat().st_mtime if path is not None else None
    except OSError:
        return None


def campaign_path(path: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> Path:
    """The campaign file: --campaign, else MAILBOT_CAMPAIGN, else the settings' ``campaign``, else the default folder.

    Each may name the folder or the campaign.toml inside it.
    """
    chosen = path or os.environ.get("MAILBOT_CAMPAIGN") or settings_campaign(settings_file) or DEFAULT_FOLDER
    chosen = Path(chosen)
    return chosen / CAMPAIGN_FILE if chosen.is_dir() or not chosen.suffix else chosen


def campaign_folder(path: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> Path:
    """The folder holding the campaign file, its roster and assets."""
    return campaign_path(path, settings_file).parent


def roster_path(path: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> Path:
    """The campaign's own roster (roster.csv beside campaign.toml)."""
    return campaign_folder(path, settings_file) / ROSTER_FILE


def settings_campaign(settings_file: str | os.PathLike | None = None) -> str | None:
    """The ``campaign`` key of the site settings file, if any (read alone: a bad file is reported elsewhere)."""
    from mailbot.settings import find_settings_path

    found = find_settings_path(str(settings_file) if settings_file else None)
    try:
        value = tomllib.loads(found.read_text(encoding="utf-8")).get("campaign") if found else None
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return str(value) if value else None


def load_campaign(path: str | os.PathLike | None = None, settings_file: str | os.PathLike | None = None) -> Campaign:
    """Read and validate a campaign file (or folder); a bad one raises ConfigError in Chinese naming line and key."""
    from mailbot.campaigns.files import fault_lines, read_data, resolve

    target = resolve(campaign_path(path, settings_file))
    text, data = read_data(target)
    faults = fault_lines(target, text, data)
    if faults:
        more = f"（另有 {len(faults) - 1} 处，运行 mailbot campaign check 查看全部）" if len(faults) > 1 else ""
        raise ConfigError(faults[0] + more)
    try:
        return build_campaign(data)
    except CampaignError as exc:
        raise ConfigError(f"活动配置文件 {target} 有误：{exc}") from exc
