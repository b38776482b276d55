"""The reply-loop guard: tell a loop (our own mail coming back, the same text again and again) from a busy unit.

A unit that sends many returns gets every receipt (the outbox paces and merges them); what is not answered is
mail that brings nothing new: our receipt bounced back, our annotated copy returned, an unmarked auto-responder
repeating itself. Auto-replies that say so, bounces and our own addresses are screened before (screen.py).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# LoopFacts (what the History protocol answers) and LoopPolicy (what the context carries) live with the context.
from routing.context import Context, LoopFacts, LoopPolicy
from routing.delivery import Delivery, Outcome

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")


def normalised(text: str) -> str:
    """Text compared across messages: NFKC, whitespace collapsed, numbers (dates, counters, receipt numbers) alike."""
    return _DIGITS.sub("0", _SPACE.sub(" ", unicodedata.normalize("NFKC", text))).strip()


def fingerprint(delivery: Delivery) -> str:
    """Equal for two messages that bring the same text and the same files (subject and quoted original aside)."""
    digest = hashlib.sha256(normalised(delivery.own_words).encode())
    for sha in sorted(a.sha256 for a in delivery.attachments):
        digest.update(sha.encode())
    return digest.hexdigest()


def echoes(text: str, ours: str, share: float) -> bool:
    """Whether ``text`` reproduces most lines of ``ours`` (three at least): our mail, sent back."""
    lines = {normalised(line) for line in ours.splitlines() if len(line.strip()) > 3}
    if len(lines) < 3:
        return False
    theirs = {normalised(line) for line in text.splitlines()}
    return len(lines & theirs) >= share * len(lines)


def loop_reason(delivery: Delivery, facts: LoopFacts, policy: LoopPolicy) -> str:
    """Why the message is part of a loop, or '' when it deserves an answer."""
    files = {a.sha256 for a in delivery.attachments}
    text = delivery.own_words
    if files and files <= facts.our_files:
        return "附件均为本系统此前发给该地址的文件（回执被退回或转回）"
    if not files and any(echoes(text, body, policy.echo_share) for body in facts.our_bodies):
        return "正文为本系统此前发给该地址的邮件（回执被退回或转回）"
    if facts.same_text_answered:
        return "同一地址短时间内重复发来相同内容，已答复过一次"
    if not files and facts.bare_answered >= policy.bare_answers:
        return f"同一地址一小时内已收到{facts.bare_answered}封不带附件邮件的答复，疑似自动回复循环"
    return ""


def reply_loop(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Do not answer our own mail coming back, or the same text again: a loop, not a return."""
    if ctx.history is None:
        return None
    policy = ctx.loop_policy
    facts = ctx.history.loop_facts(delivery, fingerprint(delivery), policy.window)
    reason = loop_reason(delivery, facts, policy)
    if reason:
        return delivery.decide(Outcome.IGNORED, reason)
    return None
