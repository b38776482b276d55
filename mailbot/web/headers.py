"""Security headers on every response: no framing, no sniffing, no referrer, a CSP the pages satisfy, no caching."""

from __future__ import annotations

from flask import Flask, Response, request

# The pages load only their own stylesheets; they have no script, no inline style, no frame, no plugin.
CSP = "; ".join((
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
))
FIXED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000"


def secure(response: Response, https: bool) -> Response:
    """Add the headers; pages and downloads hold a coordinator's data, so no cache keeps them after logout."""
    response.headers.update(FIXED)
    if request.endpoint not in ("static", "web.status_css"):
        response.headers["Cache-Control"] = "no-store"
    if https:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def install(web: Flask, https: bool) -> None:
    """Set the headers on every response (error pages and redirects included)."""
    web.after_request(lambda response: secure(response, https))
