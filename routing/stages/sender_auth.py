"""Who vouches for the sender: Authentication-Results (RFC 8601) of a trusted server, read with DMARC alignment.

Only the topmost Authentication-Results header whose authserv-id we trust counts: headers below it were written
before our provider received the message (a sender can forge any of them), and headers of other authserv-ids
speak for servers we know nothing about. A pass counts only when it is aligned with the From domain in DMARC's
relaxed sense (RFC 7489 3.1: the same organisational domain), so an attacker who authenticates a domain of their
own proves nothing about the roster address in From.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from routing.stages.domains import organisational_domain

DEFAULT_REQUIRED = ("qq.com", "126.com", "163.com")  # free-mail domains whose addresses anyone can put in From
_COMMENT = re.compile(r"\([^()]*\)")
_PROPERTY = re.compile(r"\b(smtp\.mailfrom|smtp\.helo|header\.from|header\.d|header\.i)\s*=\s*(\"[^\"]*\"|[^\s;]+)", re.IGNORECASE)
_RESULT = re.compile(r"^\s*([a-z][\w-]*)(?:/\d+)?\s*=\s*([a-z]+)", re.IGNORECASE)
_FAILED = {"fail", "softfail", "permerror"}


@dataclass(frozen=True)
class AuthPolicy:
    """Whose Authentication-Results are believed, and which From domains must show an aligned pass."""

    trusted: tuple[str, ...] = ()  # authserv-ids of our own providers' receiving servers, e.g. mx.qq.com
    required: tuple[str, ...] = DEFAULT_REQUIRED  # From domains (and their subdomains) held unless aligned-verified
    suffixes: tuple[str, ...] = ()  # public suffixes beyond the embedded list, e.g. a province's own zone

    @property
    def active(self) -> bool:
        """Whether senders are checked at all (only with a trusted server configured)."""
        return bool(self.trusted)

    def requires(self, domain: str) -> bool:
        """Whether mail From this domain counts only with an aligned pass."""
        org = organisational_domain(domain, self.suffixes)
        return any(org == organisational_domain(d, self.suffixes) for d in self.required)


@dataclass(frozen=True)
class Result:
    """One method's result in an Authentication-Results header, with the domains it names."""

    method: str  # spf, dkim, dmarc, …
    result: str  # pass, fail, none, …
    domains: dict[str, str] = field(default_factory=dict)  # property (smtp.mailfrom, header.d, …) → domain


@dataclass(frozen=True)
class SenderCheck:
    """The verdict on a sender: verified, or why not (a Chinese reason for the reviewer)."""

    verified: bool
    reason: str = ""


def check_sender(values: Iterable[str], sender: str, policy: AuthPolicy) -> SenderCheck:
    """Judge a From address by the topmost trusted Authentication-Results among ``values`` (top to bottom)."""
    domain = sender.rsplit("@", 1)[-1].lower().rstrip(".")
    results = trusted_results(values, policy.trusted)
    if any(_aligned_pass(r, domain, policy.suffixes) for r in results):
        return SenderCheck(True)
    failed = next((r for r in results if r.result in _FAILED and _about(r, domain, policy.suffixes)), None)
    if failed is not None:
        return SenderCheck(False, f"收件服务器记录的{failed.method.upper()}验证失败，需人工确认发件人")
    said = "；".join(f"{r.method}={r.result}" for r in results) or "无验证记录"
    foreign = sorted({d for r in results if r.result == "pass" and r.method in ("spf", "dkim") for d in _authenticated(r)})
    if foreign:  # someone's servers proved who they are, and it was not the From domain
        return SenderCheck(False, f"验证通过的是其他域名（{'、'.join(foreign)}），不是发件域名 {domain}（{said}），需人工确认发件人")
    if policy.requires(domain):
        return SenderCheck(False, f"发件域名 {domain} 未通过与之对齐的 SPF/DKIM/DMARC 验证（{said}），需人工确认发件人")
    return SenderCheck(True)


def trusted_results(values: Iterable[str], trusted: Iterable[str]) -> list[Result]:
    """The results of the topmost header written by a trusted authserv-id; [] when none is."""
    wanted = {t.strip().lower() for t in trusted}
    for value in values:
        segments = _strip_comments(value).split(";")
        words = segments[0].split()
        if words and words[0].lower() in wanted:
            return [r for r in (parse_result(s) for s in segments[1:]) if r is not None]
    return []


def parse_result(segment: str) -> Result | None:
    """``spf=pass smtp.mailfrom=a@b.cn`` as a Result; None for ``none`` or an unreadable segment."""
    match = _RESULT.match(segment)
    if match is None:
        return None
    domains = {name.lower(): _domain_of(value) for name, value in _PROPERTY.findall(segment)}
    return Result(match.group(1).lower(), match.group(2).lower(), {k: v for k, v in domains.items() if v})


def _aligned_pass(r: Result, domain: str, suffixes: tuple[str, ...]) -> bool:
    if r.result != "pass":
        return False
    if r.method == "dmarc":  # DMARC itself checked alignment; only its From domain must be ours
        return _aligned(r.domains.get("header.from", domain), domain, suffixes)
    if r.method == "spf":
        named = r.domains.get("smtp.mailfrom") or r.domains.get("smtp.helo")
    elif r.method == "dkim":
        named = r.domains.get("header.d") or r.domains.get("header.i")
    else:
        return False
    return named is not None and _aligned(named, domain, suffixes)


def _authenticated(r: Result) -> list[str]:
    key = ("smtp.mailfrom", "smtp.helo") if r.method == "spf" else ("header.d", "header.i")
    named = next((r.domains[k] for k in key if k in r.domains), None)
    return [named] if named else []


def _about(r: Result, domain: str, suffixes: tuple[str, ...]) -> bool:
    # A result that names no domain is about the message itself, hence its sender.
    return not r.domains or any(_aligned(d, domain, suffixes) for d in r.domains.values())


def _aligned(one: str, other: str, suffixes: tuple[str, ...]) -> bool:
    return organisational_domain(one, suffixes) == organisational_domain(other, suffixes)


def _domain_of(value: str) -> str:
    return value.strip('"').rsplit("@", 1)[-1].lower().rstrip(".")


def _strip_comments(value: str) -> str:
    previous = None
    while previous != value:  # nested comments, innermost first
        previous, value = value, _COMMENT.sub(" ", value)
    return value


def header_values(headers, name: str = "Authentication-Results") -> list[str]:
    """Every value of a header in a mapping (a list value stands for repeated headers), top to bottom."""
    found = []
    for key, value in headers.items():
        if key.lower() == name.lower():
            found.extend(value if isinstance(value, list) else [value])
    return [str(v) for v in found]
