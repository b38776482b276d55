"""Load the campaign file and the paths the service uses (the only place that reads config from disk)."""

from __future__ import annotations

import os
from pathlib import Path

from mailbot.errors import ConfigError
from routing.campaign import Campaign
from routing.errors import CampaignError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CAMPAIGN = ROOT / "config" / "campaign.toml"
# An installed package (the container image) has no config/ beside it: MAILBOT_ROSTER names the file there.
DEFAULT_ROSTER = Path(os.environ.get("MAILBOT_ROSTER") or ROOT / "config" / "roster.csv")


def campaign_path(path: str | os.PathLike | None = None) -> Path:
    """The campaign file: the argument, else MAILBOT_CAMPAIGN, else the shipped 两优 campaign."""
    return Path(path or os.environ.get("MAILBOT_CAMPAIGN") or DEFAULT_CAMPAIGN)


def load_campaign(path: str | os.PathLike | None = None) -> Campaign:
    """Read and validate a campaign file (or folder); a bad one raises ConfigError in Chinese naming line and key."""
    from mailbot.campaign_file import fault_lines, read_data, resolve

    target = resolve(campaign_path(path))
    text, data = read_data(target)
    faults = fault_lines(target, text, data)
    if faults:
        more = f"（另有 {len(faults) - 1} 处，运行 mailbot campaign check 查看全部）" if len(faults) > 1 else ""
        raise ConfigError(faults[0] + more)
    try:
        return Campaign.from_dict(data)
    except CampaignError as exc:
        raise ConfigError(f"活动配置文件 {target} 有误：{exc}") from exc
