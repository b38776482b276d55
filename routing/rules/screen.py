"""Screening rules: who must never be answered, what was seen before, what is classified."""

from __future__ import annotations

import re

from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.stages.prepare import gate

# RFC 3834 and what Chinese providers really send (QQ vacation replies carry no Auto-Submitted).
_AUTO_SUBJECT = re.compile(r"自动回复|自动答复|假期回复|休假|Auto[- ]?Reply|Automatic reply|Out of Office|退信|Undeliver|Delivery Status|系统退信", re.I)
_AUTO_BODY = ("这是来自QQ邮箱的假期自动回复邮件", "这是来自QQ邮箱的自动回复邮件", "本邮件为自动回复", "此邮件为自动回复")
_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|noreply|bounce[s]?)@", re.I)


def header(delivery: Delivery, name: str) -> str:
    """A header's decoded value, looked up case-insensitively ('' if absent)."""
    wanted = name.lower()
    for key, value in delivery.headers.items():
        if key.lower() == wanted:
            return str(value or "")
    return ""


def has_header(delivery: Delivery, name: str) -> bool:
    """Whether the header is present at all."""
    return any(key.lower() == name.lower() for key in delivery.headers)


def no_sender(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Ignore a message without a usable From address."""
    if "@" not in delivery.sender:
        return delivery.decide(Outcome.IGNORED, "无法识别发件人地址")
    return None


# Header every mail the robot sends carries (mailbot.outbox.envelope): which outbox kind it is.
KIND_HEADER = "X-Mailbot-Kind"
# Mail to departments; every other kind (alert, digest, health, undelivered) is addressed to a coordinator.
DEPARTMENT_KINDS = ("reply", "reminder", "review")


def own_alert(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Leave the robot's own alerts and digests unread where a coordinator looks (the coordinator is the inbox itself)."""
    kind = header(delivery, KIND_HEADER).strip()
    if kind and not kind.startswith(DEPARTMENT_KINDS) and _is_own(delivery, ctx):
        return delivery.decide(Outcome.IGNORED, "本系统发给协调人的提醒或汇总：留在收件箱，不归档")
    return None


def own_mail(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Ignore mail sent by one of our own inboxes (never answer ourselves)."""
    if _is_own(delivery, ctx):
        return delivery.decide(Outcome.IGNORED, "本机器人自己发出的邮件")
    return None


def _is_own(delivery: Delivery, ctx: Context) -> bool:
    own = ctx.own_addresses or {a.lower() for o in ctx.campaign.offices.values() for a in o.inboxes}
    return delivery.sender.lower() in own


def never_answered(delivery: Delivery, ctx: Context) -> str:
    """Which loop guard forbids any answer to this message (no-sender, own-mail, auto-reply), or ''."""
    if "@" not in delivery.sender:
        return "no-sender"
    if _is_own(delivery, ctx):
        return "own-mail"
    return "auto-reply" if _auto_reason(delivery) else ""


def auto_reply(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Ignore auto-replies, bounces and bulk mail (RFC 3834 and QQ's fixed texts)."""
    reason = _auto_reason(delivery)
    if reason:
        return delivery.decide(Outcome.IGNORED, reason)
    return None


def _auto_reason(d: Delivery) -> str:
    submitted = header(d, "Auto-Submitted").strip().lower()
    if submitted and not submitted.startswith("no"):
        return f"Auto-Submitted: {submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "List-Id", "List-Unsubscribe"):
        if has_header(d, name):
            return f"带有 {name} 头"
    if header(d, "Precedence").strip().lower() in ("bulk", "junk", "list", "auto_reply"):
        return "Precedence 为群发"
    if has_header(d, "Return-Path") and header(d, "Return-Path").strip() in ("<>", ""):
        return "Return-Path 为空（退信）"
    if _SYSTEM_SENDERS.match(d.sender):
        return "系统发件人"
    if _AUTO_SUBJECT.search(d.subject) and not d.attachments:
        return "主题为自动回复"
    head = d.body_text[:400]
    return "正文为自动回复" if any(p in head for p in _AUTO_BODY) else ""


def duplicate(delivery: Delivery, ctx: Context) -> Outcome | None:
    """The same message again (the runner looked it up in the ledger): no new version."""
    if delivery.duplicate_of is not None:
        return delivery.decide(Outcome.DUPLICATE, "此前已收到同一封邮件")
    return None


def parser_failure(delivery: Delivery, ctx: Context) -> Outcome | None:
    """The gate could not finish (the parse child hung or died), so nobody knows whether the message is marked: hold it."""
    prepared = delivery.prepared
    if ctx.marking_terms is None or prepared is None or not prepared.failure:
        return None
    _withhold(delivery, ctx, Outcome.HELD_FOR_REVIEW)  # keep nothing; a person looks
    return delivery.decide(Outcome.HELD_FOR_REVIEW, f"附件处理未能完成（{prepared.failure}），待人工处理")


def classified(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Refuse a message bearing a 密级 marking; hold a truly unclear one for a person.

    Among the first rules of the chain: a marked auto-reply, duplicate or mail claiming our own address is refused
    all the same, with nothing of it kept. The loop guards still decide that such a message gets no answer.
    """
    if ctx.marking_terms is None:
        return None
    hit = gate(delivery, ctx)
    if hit is None:
        return None
    delivery.facts["marking_place"] = hit.place
    if hit.certain:
        _withhold(delivery, ctx, Outcome.REFUSED_CLASSIFIED)
        return delivery.decide(Outcome.REFUSED_CLASSIFIED, f"涉密标识位于{hit.place}")
    _withhold(delivery, ctx, Outcome.HELD_FOR_REVIEW)
    return delivery.decide(Outcome.HELD_FOR_REVIEW, f"{hit.place}疑似涉密标识，待人工确认")


def _withhold(delivery: Delivery, ctx: Context, outcome: Outcome) -> None:
    """Keep nothing of the content; answer only whom a loop guard allows, and only once for a repeat."""
    delivery.withhold_content = True
    quiet = never_answered(delivery, ctx)
    if not quiet and (delivery.duplicate_of or {}).get("outcome") == outcome.value:
        quiet = "duplicate"  # the same message again, already answered with the same verdict
    if quiet:
        delivery.facts["unanswered"] = quiet
