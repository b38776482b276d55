"""What the worker reads besides the campaign: the reminder policy, coordinators' addresses, intake interval."""

from __future__ import annotations

import logging
from typing import Mapping

from mailbot.errors import ConfigError
from routing.campaign import Campaign
from routing.errors import CampaignError
from routing.schedule import ReminderPolicy, policy_from_config

log = logging.getLogger(__name__)


def load_policy(campaign: Campaign) -> ReminderPolicy:
    """The campaign's [reminders] table as a policy; a bad one raises ConfigError in Chinese."""
    try:
        return policy_from_config(campaign.settings.get("reminders"), campaign)
    except CampaignError as exc:
        raise ConfigError(f"活动配置 [reminders] 有误：{exc}") from exc


def load_site_settings(settings_file: str | None):
    """The site settings, or None when there is no settings file (files fed by hand, tests)."""
    from mailbot.settings import find_settings_path, load_settings

    path = find_settings_path(settings_file)
    return load_settings(path) if path is not None else None


def coordinators(campaign: Campaign, settings) -> dict[str, str]:
    """Each office's coordinator address: ``coordinators`` in the settings if offered, else the office's own inbox."""
    # Coordinators are people of a deployment, not of the notice; the office inbox is read by them anyway.
    configured: Mapping[str, str] = getattr(settings, "coordinators", None) or {}
    return {key: configured.get(key) or office.address for key, office in campaign.offices.items()}


def intake_interval(policy: ReminderPolicy, settings) -> int:
    """Seconds between mailbox polls: the settings' poll_interval when given, else the policy's."""
    value = getattr(settings, "poll_interval", None)
    return int(value) if value else policy.intake_every
