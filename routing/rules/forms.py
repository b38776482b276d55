"""Rules about the returns a message carries: read them, and decide when there are none."""

from __future__ import annotations

from parsers.problems import Problem, error, warning
from routing.context import Context
from routing.delivery import Delivery, Outcome
from routing.stages.contacts import contact_returns
from routing.stages.prepare import files

# Formats of a scanned, stamped copy: kept as such when an editable return came with it.
SCANS = ("pdf", "image", "ofd")


def read_forms(delivery: Delivery, ctx: Context) -> None:
    """Read every attachment into returns and problems, then the contact details the message is delivering."""
    results = files(delivery, ctx)
    for attachment, result in zip(delivery.attachments, results, strict=True):
        for parsed in result.returns:
            parsed.sha256 = attachment.sha256  # the audit trail keeps what was received
        delivery.returns.extend(result.returns)
    for result in results:
        delivery.problems.extend(stamped_copy_note(result) if delivery.returns and result.format in SCANS else result.problems)
    contacts = contact_returns(delivery, ctx.campaign, results)
    hashes = {a.filename: a.sha256 for a in delivery.attachments}
    for parsed in contacts:
        parsed.sha256 = hashes.get(parsed.file, "")
    delivery.returns.extend(contacts)
    delivery.problems.extend(unused_contact_files(results, contacts, ctx.campaign))
    return None


def unused_contact_files(results, contacts, campaign) -> list[Problem]:
    """A file whose only finding was a signature-like contact that the message was not delivering: it holds no form."""
    from parsers import problem_texts as messages

    used = {parsed.file for parsed in contacts}
    expected = messages.expected_forms(campaign)
    return [error("no-form-found", messages.render("no-form-found", file=r.file, expected=expected), file=r.file)
            for r in results if r.contacts and not r.returns and not r.problems and r.file not in used]


def stamped_copy_note(result) -> list[Problem]:
    """A scan next to editable returns is the stamped copy: noted as received, not an error."""
    from parsers.problem_texts import render

    return [warning("stamped-copy", render("stamped-copy", file=result.file), file=result.file)]


def big_attachment_link(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Only a "超大附件" came (a known link, or the words with a link anywhere): ask for a normal attachment.

    The link is never fetched, whatever its host: it expires, and fetching it would let mail make us call out.
    """
    from parsers.mail.body import mentions_big_attachment

    if delivery.returns or not (delivery.links or mentions_big_attachment(delivery.own_words)):
        return None
    if delivery.links or not _editable(delivery):
        return delivery.decide(Outcome.UNSUPPORTED, "邮件中的附件为“超大附件”或网盘下载链接")
    return None


def _editable(delivery: Delivery) -> bool:
    # A file came that is no picture (a signature logo, a photo): the words may be about that file.
    return any(not a.content_type.startswith("image/") for a in delivery.attachments)


def nothing_asked(delivery: Delivery, ctx: Context) -> Outcome | None:
    """No return, no file, and nothing asked (收到, 好的, 谢谢, quoted mail below or not): no reply."""
    from parsers.mail.acks import is_acknowledgement

    if delivery.returns or _editable(delivery):
        return None
    if is_acknowledgement(delivery.own_words):
        # A signature picture is no file sent for reading: nothing to report about it either.
        pictures = {a.filename for a in delivery.attachments}
        delivery.problems = [p for p in delivery.problems if p.file not in pictures]
        return delivery.decide(Outcome.IGNORED, "没有附件，也没有需要答复的内容")
    return None


def no_attachment(delivery: Delivery, ctx: Context) -> Outcome | None:
    """No return, no file at all, and words that ask something: tell the sender nothing came attached."""
    if delivery.returns or delivery.attachments:
        return None  # pictures only: the rules below ask for the editable file
    return delivery.decide(Outcome.NO_FORMS, "邮件没有附件，也未识别出报送材料")


def unreadable_only(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Attachments came but none could be read: ask for .xlsx/.docx."""
    if delivery.returns or not delivery.problems:
        return None
    if all(p.is_error for p in delivery.problems):
        return delivery.decide(Outcome.UNSUPPORTED, "附件无法读取或格式不受支持")
    return None


def no_forms(delivery: Delivery, ctx: Context) -> Outcome | None:
    """Attachments came but none is a return the notice asks for."""
    if not delivery.returns:
        return delivery.decide(Outcome.NO_FORMS, "附件中未识别出通知要求报送的材料")
    return None


def verdict(delivery: Delivery, ctx: Context) -> Outcome:
    """Accepted when every return passed; invalid when any has an error."""
    if any(r.status == "invalid" for r in delivery.returns):
        return delivery.decide(Outcome.INVALID, "部分材料需要修改")
    return delivery.decide(Outcome.ACCEPTED, "材料齐全合格")

