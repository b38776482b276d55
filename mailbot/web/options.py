"""How the dashboard is served, from the settings file's [web] table and the `mailbot serve` options."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mailbot.errors import ConfigError
from mailbot.web.throttle import LoginPolicy

DEFAULT_SESSION_HOURS = 8.0
KNOWN = ("https", "proxy_hops", "session_hours", "login_per_account", "login_per_address", "login_window_minutes")


@dataclass(frozen=True)
class WebOptions:
    """Behind HTTPS (Secure cookie, HSTS), behind how many proxies, how long a login lasts, how logins are throttled."""

    session_hours: float = DEFAULT_SESSION_HOURS
    https: bool = False
    proxy_hops: int = 0  # trusted X-Forwarded-For/-Proto hops, so throttling counts the real client address
    login_policy: LoginPolicy = field(default_factory=LoginPolicy)


def web_options(table: Mapping[str, Any] | None, **overrides: Any) -> WebOptions:
    """Options from a [web] table, then from command-line values that were given (None: not given)."""
    values = dict(table or {})
    unknown = sorted(set(values) - set(KNOWN))
    if unknown:
        raise ConfigError(f"配置文件 [web] 中有无法识别的项：{'、'.join(unknown)}（可用：{'、'.join(KNOWN)}）")
    values.update({k: v for k, v in overrides.items() if v is not None})
    if not isinstance(values.get("https", False), bool):
        raise ConfigError("配置文件 [web] 中 https 只能是 true 或 false")
    policy = LoginPolicy(per_account=int(values.get("login_per_account", LoginPolicy.per_account)),
                         per_address=int(values.get("login_per_address", LoginPolicy.per_address)),
                         window=dt.timedelta(minutes=float(values.get("login_window_minutes", LoginPolicy.window.total_seconds() / 60))))
    return WebOptions(session_hours=float(values.get("session_hours", DEFAULT_SESSION_HOURS)), https=values.get("https", False),
                      proxy_hops=int(values.get("proxy_hops", 0)), login_policy=policy)
