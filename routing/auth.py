"""Read Authentication-Results (RFC 8601) written by a receiving provider we trust."""

from __future__ import annotations

import re
from typing import Mapping

_RESULT = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*(\w+)([^;]*)", re.I)
_BAD = {"fail", "softfail", "permerror"}


def failed_authentication(headers: Mapping[str, str], sender: str, trusted: tuple[str, ...]) -> str:
    """'SPF', 'DKIM' or 'DMARC' when a trusted server recorded a failure for the sender's domain, else ''."""
    domain = sender.rsplit("@", 1)[-1].lower()
    for value in _values(headers, "Authentication-Results"):
        authserv, _, rest = value.partition(";")
        if authserv.strip().split()[0].lower() not in {t.lower() for t in trusted}:
            continue
        for method, result, props in _RESULT.findall(rest):
            if result.lower() in _BAD and _about(domain, props):
                return method.upper()
    return ""


def _about(domain: str, props: str) -> bool:
    # A result without a named domain is about the message itself, hence its sender.
    named = re.findall(r"(?:smtp\.mailfrom|header\.from|header\.d|header\.i)\s*=\s*(?:[^@\s;]*@)?([\w.-]+)", props, re.I)
    return not named or any(n.lower() == domain or domain.endswith("." + n.lower()) for n in named)


def _values(headers: Mapping[str, str], name: str) -> list[str]:
    found = []
    for key, value in headers.items():
        if key.lower() == name.lower():
            found.extend(value if isinstance(value, list) else [value])
    return [str(v) for v in found]
