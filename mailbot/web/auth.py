"""Login, logout and the gate every page passes: a signed-in user whose session has not expired."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for

from mailbot.ledger.models_web import UserRow
from mailbot.web.forms import renew_token
from mailbot.web.users import verify_user

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static"}


def desk():
    """The dashboard's context (the App, the session lifetime, the clock)."""
    return current_app.extensions["mailbot"]


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a good password starts a fresh session."""
    if request.method == "GET":
        return render_template("web/login.html")
    name = request.form.get("username", "").strip()
    with desk().app.ledger.session() as s:
        user = verify_user(s, name, request.form.get("password", ""))
    if user is None:
        log.info("dashboard login refused for %r", name)
        return render_template("web/login.html", error="用户名或密码不正确。", username=name), 401
    start_session(user)
    return redirect(url_for("web.matrix"))


def start_session(user: UserRow) -> None:
    """Forget whatever the browser held and remember who logged in, and when."""
    session.clear()
    session.permanent = True
    session["uid"], session["login_at"] = user.id, desk().now().timestamp()
    renew_token()
    log.info("dashboard login: user %s (%s)", user.id, user.office)


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End the session."""
    session.clear()
    flash("您已退出登录。")
    return redirect(url_for("auth.login"))


def require_login():
    """Send anyone without a live session to the login page; load the user into ``g``."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    g.user = current_user()
    if g.user is None:
        # Keep the CSRF token: a stray request (a favicon) must not spoil the login form already shown.
        expired = session.pop("login_at", None) is not None
        session.pop("uid", None)
        if expired:
            flash("登录已超时，请重新登录。")
        return redirect(url_for("auth.login"))
    return None


def current_user() -> UserRow | None:
    """The signed-in user, or None when there is none or the session has expired."""
    uid, started = session.get("uid"), session.get("login_at")
    if uid is None or started is None:
        return None
    if desk().now().timestamp() - started > desk().lifetime.total_seconds():
        return None
    with desk().app.ledger.session() as s:
        user = s.get(UserRow, uid)
    return user if user is not None and user.active else None


def install(web: Flask) -> None:
    """Register the login pages and the gate."""
    web.register_blueprint(blueprint)
    web.before_request(require_login)
