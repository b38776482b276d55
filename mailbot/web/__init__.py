"""The coordinators' dashboard: a Flask app factory over the ledger (read-only, Chinese, login per office)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from flask import Flask

from mailbot import clock
from mailbot.app import App

PACKAGE = Path(__file__).resolve().parent.parent
DEFAULT_SESSION_HOURS = 8.0


@dataclass(frozen=True)
class Desk:
    """What the views need, held by the Flask app instead of module globals."""

    app: App
    lifetime: dt.timedelta
    now: Callable[[], dt.datetime]


def create_app(app: App, secret: str, session_hours: float = DEFAULT_SESSION_HOURS, now: Callable[[], dt.datetime] | None = None) -> Flask:
    """A dashboard over ``app``'s ledger; ``secret`` signs the session cookie, ``now`` replaces the clock in tests."""
    if not secret:
        raise ValueError("the dashboard needs a session secret")
    web = Flask(__name__, template_folder=str(PACKAGE / "templates"), static_folder=str(PACKAGE / "static"), static_url_path="/static")
    lifetime = dt.timedelta(hours=session_hours)
    web.config.update(SECRET_KEY=secret, SESSION_COOKIE_NAME="mailbot_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=lifetime, MAX_CONTENT_LENGTH=64 * 1024)
    web.extensions["mailbot"] = Desk(app, lifetime, now or (lambda: clock.now(app.campaign.timezone)))
    from mailbot.web import auth, forms, views

    forms.install(web)
    auth.install(web)
    web.register_blueprint(views.blueprint)
    return web
