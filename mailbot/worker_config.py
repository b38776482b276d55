"""The reminder policy in force: the campaign's [reminders], with the site settings' [reminders] over it."""

from __future__ import annotations

from pathlib import Path

from mailbot.errors import ConfigError
from routing.errors import CampaignError
from routing.model.campaign import Campaign
from routing.model.schedule import ReminderPolicy, merge_reminders, policy_from_config


def load_policy(campaign: Campaign, settings=None, *, campaign_file: Path | None = None, settings_file: Path | None = None) -> ReminderPolicy:
    """The policy; a bad value raises ConfigError in Chinese, one line, naming the key and the file it came from."""
    own = campaign.reminders_table
    try:
        policy = policy_from_config(own, campaign)
    except CampaignError as exc:
        raise ConfigError(f"活动配置文件 {campaign_file or '（活动配置）'} 有误：{exc}") from exc
    site = getattr(settings, "reminders", None)
    if not site:
        return policy
    # The campaign alone was valid: whatever fails now is the site's override.
    try:
        return policy_from_config(merge_reminders(own, site), campaign)
    except CampaignError as exc:
        raise ConfigError(f"运行设置文件 {settings_file or '（运行设置）'} 有误：{exc}") from exc


def coordinators(campaign: Campaign, settings) -> dict[str, str]:
    """Each office's coordinator address: ``coordinator`` in the settings if offered, else the office's own inbox."""
    # Coordinators are people of a deployment, not of the notice; the office inbox is read by them anyway.
    configured = getattr(settings, "coordinators", None) or {}
    return {key: configured.get(key) or office.address for key, office in campaign.offices.items()}
