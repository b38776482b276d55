"""Plainer variants of a mail the provider refused as spam: first without attachments, then a short text."""

from __future__ import annotations

NOTE_RESENT = "（此前发出的本邮件被邮件服务商误判为垃圾邮件而退回，现重新发送。）"
NOTE_NO_COPY = "（为便于送达，本次未附标注副本；如需副本，请回复本邮件索取。）"
NOTE_SHORT = "（为便于送达，本次只列要点；完整说明请回复本邮件索取，或按下方电话联系。）"
KEEP_HEAD = 2  # paragraphs kept from the top of a shortened text: the salutation and the opening sentence


def plainer(body: str, attachments: list, variant: int) -> tuple[str, list]:
    """(body, attachments) for the ``variant``-th retry after a content refusal (0: the mail as queued)."""
    steps = ["full", *(["no-copy"] if attachments else []), "short"]
    step = steps[min(variant, len(steps) - 1)]
    if step == "full":
        return body, attachments
    if step == "no-copy":
        return f"{NOTE_RESENT}{NOTE_NO_COPY}\n\n{body}", []
    return shortened(body), []


def shortened(body: str) -> str:
    """The opening paragraphs and the signature block, with a note between them: what the receipt says, in brief."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if len(paragraphs) <= KEEP_HEAD + 1:
        return f"{NOTE_RESENT}\n\n{body}"
    tail = paragraphs[-1]
    contact = next((p for p in reversed(paragraphs[KEEP_HEAD:-1]) if "电话" in p or "联系" in p), "")
    kept = [NOTE_RESENT, *paragraphs[:KEEP_HEAD], NOTE_SHORT, *([contact] if contact else []), tail]
    return "\n\n".join(kept)
