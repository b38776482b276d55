"""The coordinators' dashboard: a Flask app factory over the ledger (read-only, Chinese, login per office)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from mailbot import clock
from mailbot.app import App
from mailbot.web.options import DEFAULT_SESSION_HOURS, WebOptions
from mailbot.web.throttle import LoginPolicy

PACKAGE = Path(__file__).resolve().parent
__all__ = ["DEFAULT_SESSION_HOURS", "Desk", "WebOptions", "create_app"]


@dataclass(frozen=True)
class Desk:
    """What the views need, held by the Flask app instead of module globals."""

    app: App
    lifetime: dt.timedelta
    now: Callable[[], dt.datetime]
    login_policy: LoginPolicy = LoginPolicy()


def create_app(app: App, secret: str, session_hours: float | None = None, now: Callable[[], dt.datetime] | None = None,
               options: WebOptions | None = None) -> Flask:
    """A dashboard over ``app``'s ledger; ``secret`` signs the session cookie, ``now`` replaces the clock in tests."""
    if not secret:
        raise ValueError("the dashboard needs a session secret")
    options = options or WebOptions()
    web = Flask(__name__, template_folder=str(PACKAGE / "templates"), static_folder=str(PACKAGE / "static"), static_url_path="/static")
    lifetime = dt.timedelta(hours=session_hours if session_hours is not None else options.session_hours)
    web.config.update(SECRET_KEY=secret, SESSION_COOKIE_NAME="mailbot_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=options.https,
                      PERMANENT_SESSION_LIFETIME=lifetime, MAX_CONTENT_LENGTH=64 * 1024)
    if options.proxy_hops > 0:
        web.wsgi_app = ProxyFix(web.wsgi_app, x_for=options.proxy_hops, x_proto=options.proxy_hops)
    web.extensions["mailbot"] = Desk(app, lifetime, now or (lambda: clock.now(app.campaign.timezone)), options.login_policy)
    from mailbot.web import auth, desk_views, forms, headers, views

    forms.install(web)
    auth.install(web)
    headers.install(web, options.https)
    web.register_blueprint(views.blueprint)
    web.register_blueprint(desk_views.blueprint)
    return web
