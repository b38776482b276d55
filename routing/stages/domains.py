"""Organisational domains (RFC 7489 3.2) from a small embedded public-suffix list: no network, no data file.

The full Public Suffix List has some 10,000 rules; the mail this desk reads comes from .cn government and
enterprise domains and a few foreign ones, so the list below holds the suffixes under which such domains are
registered. A domain is its public suffix plus one label; a name ending in no listed multi-label suffix has
a one-label suffix (``com``, ``cn``, ``org``…). Sites add their own with ``auth_public_suffixes``.
"""

from __future__ import annotations

from collections.abc import Iterable

# CNNIC's second-level categories and the 34 provincial-level zones under .cn (nm.cn is Inner Mongolia), .gov.cn
# and .edu.cn included; the Hong Kong, Macao and Taiwan zones; a handful of common foreign second levels.
CN_CATEGORIES = ("ac", "com", "edu", "gov", "mil", "net", "org")
CN_PROVINCES = ("ah", "bj", "cq", "fj", "gd", "gs", "gx", "gz", "ha", "hb", "he", "hi", "hk", "hl", "hn", "jl", "js", "jx",
                "ln", "mo", "nm", "nx", "qh", "sc", "sd", "sh", "sn", "sx", "tj", "tw", "xj", "xz", "yn", "zj")
OTHER = ("com.hk", "edu.hk", "gov.hk", "org.hk", "net.hk", "com.mo", "gov.mo", "com.tw", "gov.tw", "edu.tw", "org.tw",
         "co.uk", "org.uk", "ac.uk", "gov.uk", "co.jp", "ne.jp", "or.jp", "ac.jp", "go.jp", "co.kr", "or.kr",
         "com.au", "net.au", "org.au", "edu.au", "gov.au", "com.sg", "edu.sg", "gov.sg", "com.my", "co.nz", "com.br")
PUBLIC_SUFFIXES = frozenset((*(f"{c}.cn" for c in CN_CATEGORIES), *(f"{p}.cn" for p in CN_PROVINCES), *OTHER))


def organisational_domain(domain: str, extra: Iterable[str] = ()) -> str:
    """``mail.xam.gov.cn`` → ``xam.gov.cn``, ``bounce.qq.com`` → ``qq.com``; the name itself when it is a suffix."""
    labels = domain.strip().strip(".").lower().split(".")
    suffixes = PUBLIC_SUFFIXES | {s.strip(".").lower() for s in extra}
    # The longest listed suffix wins; an unlisted name has a one-label suffix (the top-level domain).
    for size in range(len(labels) - 1, 0, -1):
        if ".".join(labels[-size:]) in suffixes:
            return ".".join(labels[-size - 1:])
    return ".".join(labels[-2:])
