"""Login, logout and the gate every page passes: a signed-in user whose session has not expired nor been ended."""

from __future__ import annotations

import logging
import math

from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for

from mailbot.ledger.models_web import UserRow
from mailbot.web import throttle
from mailbot.web.forms import renew_token
from mailbot.web.users import end_sessions, verify_user

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__)
OPEN_ENDPOINTS = {"auth.login", "static", "web.status_css", "web.healthz"}


def desk():
    """The dashboard's context (the App, the session lifetime, the clock)."""
    return current_app.extensions["mailbot"]


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """The login form; a good password starts a fresh session."""
    if request.method == "GET":
        return render_template("web/login.html")
    name = request.form.get("username", "").strip()
    ledger = desk().app.ledger
    attempt = throttle.begin(ledger, desk().login_policy, name, request.remote_addr or "", desk().now())
    if attempt.refused_for is not None:
        # Not even a right password gets in now: the answer must not tell a guesser which guess was right.
        log.warning("dashboard login throttled for %r from %s", name, request.remote_addr)
        minutes = math.ceil(attempt.refused_for.total_seconds() / 60)
        return render_template("web/login.html", error=f"登录失败次数过多，请{minutes}分钟后再试。", username=name), 429
    with ledger.session() as s:
        user = verify_user(s, name, request.form.get("password", ""))
    if user is None:
        log.info("dashboard login refused for %r", name)
        return render_template("web/login.html", error="用户名或密码不正确。", username=name), 401
    throttle.succeeded(ledger, attempt)
    start_session(user)
    return redirect(url_for("web.matrix"))


def start_session(user: UserRow) -> None:
    """Forget whatever the browser held and remember who logged in, and when."""
    session.clear()
    session.permanent = True
    session["uid"], session["login_at"], session["epoch"] = user.id, desk().now().timestamp(), user.session_epoch
    renew_token()
    log.info("dashboard login: user %s (%s)", user.id, user.office)


@blueprint.route("/logout", methods=["POST"])
def logout():
    """End every session of the account, this one included (a copied cookie must not outlive a logout)."""
    user = current_user()
    if user is not None:
        with desk().app.ledger.transaction() as s:
            end_sessions(s, user.id)
        log.info("dashboard logout: user %s; every session of the account ended", user.id)
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
        started = session.pop("login_at", None)
        session.pop("uid", None), session.pop("epoch", None)
        if started is not None:
            timed_out = desk().now().timestamp() - started > desk().lifetime.total_seconds()
            flash("登录已超时，请重新登录。" if timed_out else "登录已失效（账号已退出登录、修改密码或被停用），请重新登录。")
        return redirect(url_for("auth.login"))
    return None


def current_user() -> UserRow | None:
    """The signed-in user, or None: no session, expired, or ended (logout, new password, account disabled or removed)."""
    uid, started, epoch = session.get("uid"), session.get("login_at"), session.get("epoch")
    if uid is None or started is None or epoch is None:
        return None
    if desk().now().timestamp() - started > desk().lifetime.total_seconds():
        return None
    with desk().app.ledger.session() as s:
        user = s.get(UserRow, uid)
    return user if user is not None and user.active and user.session_epoch == epoch else None


def install(web: Flask) -> None:
    """Register the login pages and the gate."""
    web.register_blueprint(blueprint)
    web.before_request(require_login)
