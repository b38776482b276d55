"""The decision chain: every question the robot asks of a message, in order, as data.

Each link names a rule, says what it decides, and points at the function that answers it.
A rule returns an Outcome to end the chain (recording why on the Delivery), or None to go on;
enriching stages (read the forms, identify the unit, route) always go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from routing import forms, identify, loop, screen, timing
from routing.context import Context
from routing.delivery import Delivery, Outcome

Check = Callable[[Delivery, Context], "Outcome | None"]


@dataclass(frozen=True)
class Link:
    """One named rule of the chain."""

    name: str
    check: Check
    description: str


CHAIN: tuple[Link, ...] = (
    # First, whatever a later rule would say: a marked auto-reply or duplicate keeps nothing either.
    Link("classified", screen.classified, "涉密标识（密级★、【涉密】等）：拒收，不保存任何内容，移入隔离文件夹，告知光盘报送（自动回复、本系统邮箱、重复邮件不回复）"),
    Link("no-sender", screen.no_sender, "无法识别发件人的邮件：忽略（无处回复）"),
    Link("own-alert", screen.own_alert, "本系统发给协调人的提醒、每日汇总（协调人邮箱即收件箱时）：忽略，留在收件箱不归档、不标为已读"),
    Link("own-mail", screen.own_mail, "本机器人各收件箱自己发出的邮件：忽略，防止回复循环"),
    Link("auto-reply", screen.auto_reply, "自动回复、退信、群发邮件（RFC 3834、QQ 假期回复）：忽略，不回复"),
    Link("duplicate", screen.duplicate, "同一封邮件再次到达（Message-ID 相同，或同一发件人的附件完全相同）：不新增版本"),
    Link("reply-loop", loop.reply_loop, "回复循环：本系统的回执或附件被退回、同一地址重复发来已答复过的相同内容：记录，不回复"),
    Link("read-forms", forms.read_forms, "读取附件和正文中的报送材料，逐项检查"),
    Link("big-attachment-link", forms.big_attachment_link, "只有“超大附件”下载链接：请对方改用普通附件（从不下载外部链接）"),
    Link("nothing-asked", forms.nothing_asked, "没有附件、也未提出任何事项（如“收到”）：不回复"),
    Link("unreadable-only", forms.unreadable_only, "附件均无法读取或格式不受支持：请对方另存为 .xlsx/.docx 后重发"),
    Link("no-forms", forms.no_forms, "附件中未识别出通知要求的任何材料"),
    Link("identify-unit", identify.identify_unit, "按名册确定报送单位：先看发件地址，再看表内“部门（单位）盖章”、文件名、主题、落款"),
    Link("unknown-sender", identify.unknown_sender, "无法确定是哪个单位报送：请对方注明单位后重发，不登记"),
    Link("sender-unverified", identify.sender_unverified, "名册中的发件地址未通过与发件域名对齐的 SPF/DKIM/DMARC 验证：待人工确认，不按名册单位登记"),
    Link("unit-conflict", identify.unit_conflict, "表内所填单位与发件地址所属单位不一致，或难以区分：待人工确认"),
    Link("stranger-return", identify.stranger_return, "名册外邮箱报送的材料，该单位已有名册邮箱报送的同类材料：待人工确认，不替换现行版本"),
    Link("route", timing.route, "按活动路由表确定每份材料由哪个办公室办理；投错邮箱的转交并告知正确邮箱"),
    Link("overdue", timing.overdue, "按截止时间判断是否逾期（逾期材料照常登记，回执中说明）"),
    Link("verdict", forms.verdict, "全部材料合格为 accepted，否则为 invalid（回执逐项说明如何修改）"),
)


def run_chain(delivery: Delivery, ctx: Context, chain: tuple[Link, ...] = CHAIN) -> Outcome:
    """Run the links in order until one decides; return the outcome."""
    for link in chain:
        delivery.trail.append(link.name)
        outcome = link.check(delivery, ctx)
        if outcome is not None:
            if not delivery.reason:
                delivery.reason = link.name
            delivery.outcome = outcome
            return outcome
    raise AssertionError("the chain ended without a verdict")  # the last link always decides


def describe(chain: tuple[Link, ...] = CHAIN) -> list[tuple[str, str]]:
    """(name, description) pairs, for `mailbot rules` and the README."""
    return [(link.name, link.description) for link in chain]


# After a reviewer names the unit: read, route and judge again, with no screening or identification.
REVIEW_CHAIN: tuple[Link, ...] = tuple(link for link in CHAIN if link.name in ("read-forms", "route", "overdue", "verdict"))
