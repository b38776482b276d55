"""Names typed on the command line — a unit, a material, an office — matched by key, official name, alias or short name."""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass

from mailbot.errors import UsageError


@dataclass(frozen=True)
class Matched:
    """What a typed name matched: the key to use, the official name, and how it matched (for the operator)."""

    key: str
    name: str
    given: str

    @property
    def note(self) -> str:
        """“兴安盟教育局”（按“教育局”匹配）, or just the name when it was typed in full."""
        return f"“{self.name}”" if _fold(self.given) == _fold(self.name) else f"“{self.name}”（按“{self.given.strip()}”匹配）"


def _fold(text: str) -> str:
    # Full-width letters and spaces typed from a Chinese keyboard, and case, do not make a different name.
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def say(matched: Matched, what: str) -> None:
    """Tell the operator, on stderr (stdout may be JSON), which one a loosely typed name was taken to mean."""
    if _fold(matched.given) != _fold(matched.name):
        print(f"{what}：{matched.note}", file=sys.stderr)


def match_office(campaign, given: str, *, admin: bool = False) -> Matched:
    """An office by key (zwfw), name, short name (政务服务局) or full name; 管理员/admin when ``admin``."""
    wanted = _fold(given)
    if admin and wanted in ("admin", "管理员"):
        return Matched("admin", "管理员", given)
    for office in campaign.offices.values():
        if wanted and wanted in {_fold(n) for n in (office.key, office.name, office.short, office.full_name) if n}:
            return Matched(office.key, office.name, given)
    choices = [f"{o.short}（{o.key}）" for o in campaign.offices.values()] + (["管理员（admin）"] if admin else [])
    raise UsageError(f"没有名为“{given}”的办公室，可选：{'、'.join(choices)}")


def match_kind(campaign, given: str) -> Matched:
    """A material by key (attachment1), label (附件1) or title (优化部门职能职责建议清单)."""
    wanted = _fold(given)
    for spec in campaign.forms:
        if wanted in {_fold(n) for n in (spec.kind, spec.label, spec.title, f"{spec.label}{spec.title}") if n}:
            return Matched(spec.kind, spec.label, given)
    choices = "、".join(f"{s.label}（{s.kind}）" for s in campaign.forms)
    raise UsageError(f"没有名为“{given}”的材料，可选：{choices}")


def match_unit(units, given: str) -> Matched:
    """A unit of ``units`` (routing.model.roster.Unit) by its official name or one of its aliases; never a guess.

    A name that is neither gets the closest candidates in the error, so the operator can retype it.
    """
    wanted = _fold(given)
    hits = [u for u in units if wanted and wanted in {_fold(n) for n in u.names}]
    if len(hits) == 1:
        return Matched(hits[0].name, hits[0].name, given)
    if hits:
        raise UsageError(f"“{given}”同时是{'、'.join(f'“{u.name}”' for u in hits)}的名称或别名，请写单位全称")
    raise UsageError(f"名册中没有单位“{given}”" + _suggest(units, given))


def _suggest(units, given: str) -> str:
    from routing.model.roster import Roster

    candidates = Roster(units).match_name(given).candidates
    return f"，您要找的是否为：{'、'.join(c.name for c in candidates)}" if candidates else "（请用 mailbot roster list 查看名册）"
