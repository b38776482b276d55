"""Rules about the returns a message carries: read them, and decide when there are none."""

from __future__ import annotations

import re

from parsers.problems import Problem
from routing.context import Context
from routing.delivery import Delivery, Outcome

# A reply made only of these words asks nothing, so it gets no answer (and cannot start a loop).
_QUOTE_START = re.compile(r"^(-{3,}\s*(原始邮件|Original Message|回复的原邮件|转发邮件)|发件人[:：]|From:\s|在\s*.{4,40}写道[:：]|On .{6,80} wrote:)", re.I)
# Formats of a scanned, stamped copy: kept as such when an editable return came with it.
SCANS = ("pdf", "image", "ofd")
_ACK_WORDS = re.compile(r"已收到|收到了|收到|好的|谢谢|感谢|多谢|辛苦了|辛苦|ok|嗯|您好|你好|[\s　。！!，,、~～.]", re.I)


def read_forms(delivery: Delivery, ctx: Context) -> None:
    """Read every attachment (and the body, for a contact given in text) into returns and problems."""
    from parsers import DEFAULT_LIMITS, read_body
    from routing.prepare import job_of, read_files

    prepared = delivery.prepared
    if prepared is not None and prepared.files is not None:
        results = prepared.files
    else:
        results = read_files(job_of(delivery), ctx.campaign, ctx.options.get("limits") or DEFAULT_LIMITS)
    for attachment, result in zip(delivery.attachments, results, strict=True):
        for parsed in result.returns:
            parsed.sha256 = attachment.sha256  # the audit trail keeps what was received
        delivery.returns.extend(result.returns)
    for result in results:
        delivery.problems.extend(stamped_copy_note(result) if delivery.returns and result.format in SCANS else result.problems)
    kinds = {r.kind for r in delivery.returns}
    delivery.returns.extend(r for r in read_body(delivery.body_text, delivery.subject, ctx.campaign) if r.kind not in kinds)
    return None


def stamped_copy_note(result) -> list[Problem]:
    """A scan next to editable returns is the stamped copy: noted as received, not an error."""
    from parsers.problems import warning

    text = f"已收到盖章扫描件“{result.file}”，作为盖章件留存（内容以可编辑表格为准）"
    return [warning("stamped-copy", text, file=result.file)]


def big_attachment_link(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Only a "超大附件" link came: ask for a normal attachment (we never fetch outside links)."""
    if delivery.links and not delivery.returns:
        return delivery.decide(Outcome.UNSUPPORTED, "big-attachment-link", "邮件中的附件为“超大附件”下载链接")
    return None


def nothing_asked(delivery: Delivery, ctx: Context) -> Outcome | None:
    """No attachment and no return in the text, and nothing asked (a plain 收到): no reply."""
    if delivery.attachments or delivery.returns:
        return None
    text = own_words(delivery.body_text)
    if len(text) <= 30 and not _ACK_WORDS.sub("", text):
        return delivery.decide(Outcome.IGNORED, "nothing-asked", "没有附件，也没有需要答复的内容")
    return delivery.decide(Outcome.NO_FORMS, "no-attachment", "邮件没有附件，也未识别出报送材料")


def own_words(body: str) -> str:
    """The sender's own text, without the quoted original that QQ, 126 and Outlook append to a reply."""
    kept = []
    for line in body.splitlines():
        if _QUOTE_START.match(line.strip()):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def unreadable_only(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Attachments came but none could be read: ask for .xlsx/.docx."""
    if delivery.returns or not delivery.problems:
        return None
    if all(p.is_error for p in delivery.problems):
        return delivery.decide(Outcome.UNSUPPORTED, "unreadable-only", "附件无法读取或格式不受支持")
    return None


def no_forms(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Attachments came but none is a return the notice asks for."""
    if not delivery.returns:
        return delivery.decide(Outcome.NO_FORMS, "no-forms", "附件中未识别出通知要求报送的材料")
    return None


def verdict(delivery: Delivery, ctx: Context) -> Outcome:
    """Accepted when every return passed; invalid when any has an error."""
    if any(r.status == "invalid" for r in delivery.returns):
        return delivery.decide(Outcome.INVALID, "verdict", "部分材料需要修改")
    return delivery.decide(Outcome.ACCEPTED, "verdict", "材料齐全合格")

