"""Who sent it: the roster unit behind a message, from its address or from what the returns say."""

from __future__ import annotations

from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.stages.sender_auth import AuthPolicy, check_sender, header_values

FLAG_ADDRESS_NOT_IN_ROSTER = "发件地址不在名册"
# What a sender whose address is not in the roster is told when held: nothing about the unit's other returns.
STRANGER_HELD = "您的发件邮箱尚未在名册中登记"
SENDER_UNVERIFIED = "收件服务器未能确认该邮件确由贵单位登记的邮箱发出"


def identify_unit(delivery: Delivery, ctx: Context) -> None:
    """Find the unit: the sender's roster address first, else the unit written on the returns or in the mail."""
    roster = ctx.roster
    by_address = roster.by_email(delivery.sender)
    named, ambiguous = _named_units(delivery, roster)
    delivery.facts["unit_by_address"] = by_address.name if by_address else None
    delivery.facts["units_named"] = sorted(u.name for u in named)
    delivery.facts["ambiguous_names"] = ambiguous
    if by_address is not None:
        delivery.unit = by_address
        return None
    if len(named) == 1 and not ambiguous:
        delivery.unit = next(iter(named))
        delivery.unit_flags.append(FLAG_ADDRESS_NOT_IN_ROSTER)
    return None


def _named_units(delivery: Delivery, roster) -> tuple[set, list[str]]:
    """Units named on the returns' 盖章 lines, else in filenames, subject or signature."""
    named, ambiguous = set(), []
    for parsed in delivery.returns:
        if parsed.unit_name:
            _add_match(roster.match_name(parsed.unit_name), parsed.unit_name, named, ambiguous)
    if named or ambiguous:
        return named, ambiguous
    # Filenames, subject and signature are weak evidence: only a single clear unit counts, and naming
    # several (e.g. quoting the notice's issuers) is no reason to hold the message.
    for text in _free_texts(delivery):
        match = roster.find_in_text(text)
        if match is not None and match.unit is not None and not match.ambiguous:
            named.add(match.unit)
            break
    return named, ambiguous


def _add_match(match, text: str, named: set, ambiguous: list[str]) -> None:
    if match is None:
        return
    if match.ambiguous:
        ambiguous.append("、".join(c.name for c in match.candidates[:3]))
    elif match.unit is not None:
        named.add(match.unit)


def _free_texts(delivery: Delivery) -> list[str]:
    names = [a.filename for a in delivery.attachments]
    lines = [line.strip() for line in delivery.own_words.splitlines() if line.strip()]
    return [*names, delivery.subject, "\n".join(lines[-4:])]  # the signature sits in the last lines


def unknown_sender(delivery: Delivery, ctx: Context) -> Outcome | None:
    """No unit anywhere: ask them to state their unit and resend; nothing is registered."""
    if delivery.unit is None and not delivery.facts.get("ambiguous_names"):
        return delivery.decide(Outcome.UNKNOWN_SENDER, "发件地址不在名册，材料中也未写明单位")
    return None


def sender_unverified(delivery: Delivery, ctx: Context) -> Outcome | None:
    """A roster address counts only with an aligned SPF/DKIM/DMARC pass (or, outside the required domains, no failure)."""
    policy = ctx.auth or AuthPolicy(trusted=ctx.trusted_auth)
    if delivery.facts.get("unit_by_address") is None or not policy.active:
        return None
    check = check_sender(delivery.auth_results or header_values(delivery.headers), delivery.sender, policy)
    if not check.verified:
        delivery.unit_flags.append("发件人验证失败")
        # The reviewer reads the server's results (spf=… dkim=…); the sender is told in words.
        delivery.facts["reply_reason"] = SENDER_UNVERIFIED
        return delivery.decide(Outcome.HELD_FOR_REVIEW, check.reason)
    return None


def unit_ambiguous(delivery: Delivery, ctx: Context) -> Outcome | None:
    """A unit name in the returns fits several units of the roster: a person decides."""
    ambiguous = delivery.facts.get("ambiguous_names")
    if ambiguous:
        return delivery.decide(Outcome.HELD_FOR_REVIEW, f"所填单位名称可能对应多个单位：{ambiguous[0]}")
    return None


def unit_conflict(delivery: Delivery, ctx: Context) -> Outcome | None:
    """The returns name another unit than the sender's: a person decides."""
    named = set(delivery.facts.get("units_named") or ())
    own = delivery.facts.get("unit_by_address")
    if own and named and named != {own}:
        others = "、".join(sorted(named - {own}))
        return delivery.decide(Outcome.HELD_FOR_REVIEW, f"材料所填单位（{others}）与发件邮箱所属单位（{own}）不一致")
    return None


def stranger_return(delivery: Delivery, ctx: Context) -> Outcome | None:
    """An address not in the roster never replaces a version that came from the unit's roster address: a person decides."""
    if delivery.unit is None or delivery.facts.get("unit_by_address") is not None or ctx.history is None:
        return None
    sent = {parsed.kind for parsed in delivery.returns}
    held = sent & ctx.history.roster_kinds(delivery.unit.name)
    if not held:
        return None
    labels = "、".join(ctx.campaign.form(kind).label for kind in sorted(held, key=ctx.campaign.kinds.index))
    delivery.facts["reply_reason"] = STRANGER_HELD
    return delivery.decide(Outcome.HELD_FOR_REVIEW,
                           f"发件地址不在名册，而{delivery.unit.name}的{labels}已有名册邮箱报送的版本：待人工确认是否以本次为准")
