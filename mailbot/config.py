"""Find and load the campaign folder (campaign.toml + roster.csv + assets); the only place that reads it from disk."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from mailbot.errors import ConfigError
from routing.campaign import Campaign
from routing.errors import CampaignError

# Relative to the working directory (a deployment's own tree), never to where the package is installed.
DEFAULT_FOLDER = Path("config") / "campaigns" / "liangyou"
CAMPAIGN_FILE = "campaign.toml"
ROSTER_FILE = "roster.csv"


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
    """Read and validate a campaign; a bad one raises ConfigError in Chinese."""
    target = campaign_path(path, settings_file)
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到活动配置文件：{target}（用 --campaign 目录、环境变量 MAILBOT_CAMPAIGN 或站点设置 campaign 指定）") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"活动配置文件 {target} 格式有误：{exc}") from exc
    try:
        return Campaign.from_dict(data)
    except CampaignError as exc:
        raise ConfigError(f"活动配置文件 {target} 有误：{exc}") from exc
