"""CSRF protection: one random token per session, checked on every POST (the login form included)."""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session

FIELD = "csrf_token"


def csrf_token() -> str:
    """The session's token, created on first use (before login too, so the login form carries one)."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def renew_token() -> None:
    """A fresh token after login, so a token seen before login is worthless afterwards."""
    session[FIELD] = secrets.token_urlsafe(32)


def check_csrf() -> None:
    """Refuse a POST whose form token does not match the session's."""
    if request.method != "POST":
        return None
    sent, kept = request.form.get(FIELD, ""), session.get(FIELD, "")
    if not kept or not hmac.compare_digest(sent.encode(), kept.encode()):
        abort(400, description="表单已失效或来源不明，请刷新页面后重试。")
    return None


def install(web: Flask) -> None:
    """Check every POST and offer ``csrf_token()`` to the templates."""
    web.before_request(check_csrf)
    web.jinja_env.globals["csrf_token"] = csrf_token
