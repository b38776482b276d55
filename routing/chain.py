"""The decision chain: every question the robot asks of a message, in order, as data.

Each link names a rule, says what it decides, and points at the function that answers it.
A rule returns an Outcome to end the chain, or None to go on; the link that decided is the verdict's
``reason`` (so reasons are exactly the names `mailbot rules` prints), and it may decide only the outcomes
it declares. Enriching stages (read the forms, identify the unit, route) always go on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.rules import forms, loop, screen
from routing.stages import identify
from routing.stages import route as timing

Check = Callable[[Delivery, Context], "Outcome | None"]




@dataclass(frozen=True)
class Link:
    """One named rule of the chain: its name is the reason of every verdict it gives, among its outcomes."""

    name: str
    check: Check
    description: str
    outcomes: tuple[Outcome, ...] = ()  # none: an enriching stage, which never decides


CHAIN: tuple[Link, ...] = (
    # First, whatever a later rule would say: a marked auto-reply or duplicate keeps nothing either.
    Link("parser-failure", screen.parser_failure, "附件的涉密检查未能完成（解析超时、解析进程异常退出）：无法确认是否涉密，不保存任何内容，待人工处理", (Outcome.HELD_FOR_REVIEW,)),
    Link("classified", screen.classified, "涉密标识（密级★、【涉密】等）：拒收，不保存任何内容，移入隔离文件夹，告知光盘报送（自动回复、本系统邮箱、重复邮件不回复）", (Outcome.REFUSED_CLASSIFIED, Outcome.HELD_FOR_REVIEW)),
    Link("no-sender", screen.no_sender, "无法识别发件人的邮件：忽略（无处回复）", (Outcome.IGNORED,)),
    Link("own-alert", screen.own_alert, "本系统发给协调人的提醒、每日汇总（协调人邮箱即收件箱时）：忽略，留在收件箱不归档、不标为已读", (Outcome.IGNORED,)),
    Link("own-mail", screen.own_mail, "本机器人各收件箱自己发出的邮件：忽略，防止回复循环", (Outcome.IGNORED,)),
    Link("auto-reply", screen.auto_reply, "自动回复、退信、群发邮件（RFC 3834、QQ 假期回复）：忽略，不回复", (Outcome.IGNORED,)),
    Link("duplicate", screen.duplicate, "同一封邮件再次到达（Message-ID 相同，或同一发件人的附件完全相同）：不新增版本", (Outcome.DUPLICATE,)),
    Link("reply-loop", loop.reply_loop, "回复循环：本系统的回执或附件被退回、同一地址重复发来已答复过的相同内容：记录，不回复", (Outcome.IGNORED,)),
    Link("read-forms", forms.read_forms, "读取附件和正文中的报送材料，逐项检查"),
    Link("big-attachment-link", forms.big_attachment_link, "只有“超大附件”下载链接：请对方改用普通附件（从不下载外部链接）", (Outcome.UNSUPPORTED,)),
    Link("nothing-asked", forms.nothing_asked, "没有附件、也未提出任何事项（如“收到”）：不回复", (Outcome.IGNORED,)),
    Link("no-attachment", forms.no_attachment, "没有附件、也未识别出报送材料，但提出了事项：告知对方未收到附件", (Outcome.NO_FORMS,)),
    Link("unreadable-only", forms.unreadable_only, "附件均无法读取或格式不受支持：请对方另存为 .xlsx/.docx 后重发", (Outcome.UNSUPPORTED,)),
    Link("no-forms", forms.no_forms, "附件中未识别出通知要求的任何材料", (Outcome.NO_FORMS,)),
    Link("identify-unit", identify.identify_unit, "按名册确定报送单位：先看发件地址，再看表内“部门（单位）盖章”、文件名、主题、落款"),
    Link("unknown-sender", identify.unknown_sender, "无法确定是哪个单位报送：请对方注明单位后重发，不登记", (Outcome.UNKNOWN_SENDER,)),
    Link("sender-unverified", identify.sender_unverified, "名册中的发件地址未通过与发件域名对齐的 SPF/DKIM/DMARC 验证：待人工确认，不按名册单位登记", (Outcome.HELD_FOR_REVIEW,)),
    Link("unit-ambiguous", identify.unit_ambiguous, "表内所填单位名称可能对应名册中的多个单位：待人工确认", (Outcome.HELD_FOR_REVIEW,)),
    Link("unit-conflict", identify.unit_conflict, "表内所填单位与发件地址所属单位不一致：待人工确认", (Outcome.HELD_FOR_REVIEW,)),
    Link("stranger-return", identify.stranger_return, "名册外邮箱报送的材料，该单位已有名册邮箱报送的同类材料：待人工确认，不替换现行版本", (Outcome.HELD_FOR_REVIEW,)),
    Link("route", timing.route, "按活动路由表确定每份材料由哪个办公室办理；投错邮箱的转交并告知正确邮箱"),
    Link("overdue", timing.overdue, "按截止时间判断是否逾期（逾期材料照常登记，回执中说明）"),
    Link("verdict", forms.verdict, "全部材料合格为 accepted，否则为 invalid（回执逐项说明如何修改）", (Outcome.ACCEPTED, Outcome.INVALID)),
)


def run_chain(delivery: Delivery, ctx: Context, chain: tuple[Link, ...] = CHAIN) -> Outcome:
    """Run the links in order until one decides; return the outcome."""
    for link in chain:
        delivery.trail.append(link.name)
        outcome = link.check(delivery, ctx)
        if outcome is not None:
            if outcome not in link.outcomes:
                raise AssertionError(f"rule {link.name} decided {outcome.value}, which it does not declare")
            delivery.outcome, delivery.reason = outcome, link.name
            return outcome
    raise AssertionError("the chain ended without a verdict")  # the last link always decides


# Reasons the runner gives outside the chain, when a message cannot be put through it (mailbot.intake.inbound, mailbot.intake.pipeline).
RUNNER_REASONS: tuple[tuple[str, str], ...] = (
    ("undecodable", "邮件结构无法解析：不保存内容，待人工处理"),
    ("pipeline-error", "处理中出错：待人工处理（涉密检查未通过前出错的，不保存内容）"),
)


def describe(chain: tuple[Link, ...] = CHAIN) -> list[tuple[str, str]]:
    """(name, description) pairs, for `mailbot rules` and the README."""
    return [(link.name, link.description) for link in chain]


def reason_words(reason: str, chain: tuple[Link, ...] = CHAIN) -> str:
    """What a person reads for a verdict's reason (`mailbot process`, the demo): the first clause of the rule's
    description without its bracketed examples, e.g. 自动回复、退信、群发邮件.

    "" for a reason no rule gives, and for the rule that only registers (合格/需修改 say it all).
    """
    links = {link.name: link for link in chain}
    if reason in links and not set(links[reason].outcomes) - {Outcome.ACCEPTED, Outcome.INVALID}:
        return ""
    text = links[reason].description if reason in links else dict(RUNNER_REASONS).get(reason, "")
    return re.sub(r"（[^（）]*）", "", text.split("：", 1)[0])


def reasons(chain: tuple[Link, ...] = CHAIN) -> frozenset[str]:
    """Every reason a verdict may carry: the links' names and the runner's own."""
    return frozenset(link.name for link in chain) | {name for name, _ in RUNNER_REASONS}


# After a reviewer names the unit: read, route and judge again, with no screening or identification.
REVIEW_CHAIN: tuple[Link, ...] = tuple(link for link in CHAIN if link.name in ("read-forms", "route", "overdue", "verdict"))
