"""Load the campaign file and the paths the service uses (the only place that reads config from disk)."""

from __future__ import annotations

import os
import tomllib
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
    """Read and validate a campaign file; a bad one raises ConfigError in Chinese."""
    target = campaign_path(path)
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到活动配置文件：{target}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"活动配置文件 {target} 格式有误：{exc}") from exc
    try:
        return Campaign.from_dict(data)
    except CampaignError as exc:
        raise ConfigError(f"活动配置文件 {target} 有误：{exc}") from exc
