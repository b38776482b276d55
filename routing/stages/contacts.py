"""Is this message delivering contact details (联络人、职务、电话)? If so, the one contact return it makes.

A name and phone under a signature are not a return. Contact details are one when they come in a file or
table of their own, with the plan (the notice asks for both by the same date), when the subject or the text
says it is sending them, or when nothing else is sent. Only then is a missing 职务 or 电话 reported.
"""

from __future__ import annotations

import re

from parsers.contacts.details import FILE, PLAN, Contact, labels_of
from parsers.contacts.merge import contact_return, merge
from parsers.contacts.text import contact_in_lines
from parsers.forms.spec import FormSpec
from parsers.mail.acks import is_acknowledgement
from parsers.returns import ParsedReturn
from routing.delivery import Delivery
from routing.model.campaign import Campaign

BODY = "邮件正文"
_REPLY_PREFIX = re.compile(r"^\s*(?:回复|答复|Re|RE|Fw|FW|Fwd|转发)\s*[:：]", re.I)
# Words that, near 联络人, say the text is sending or naming the contact rather than signing with one.
_SENDING = r"报送|报上|上报|报来|提供|确定|明确|指定|变更|更换|调整|更新|发送|附上|报备"
_ABOUT = r"信息|名单|情况|人选|如下|报送|已确定|及联系方式|及电话|及职务|表"
_EARLIER = re.compile(r"已于|已经|此前|之前|前已|已报|已发|已上报")
_SENTENCE = re.compile(r"[。！？!?\n]")


def contact_returns(delivery: Delivery, campaign: Campaign, files: tuple) -> list[ParsedReturn]:
    """The contact return of each contact spec, from the attachments' contacts and the sender's own text."""
    found = []
    for spec in (s for s in campaign.forms if s.layout == "contact"):
        labels = labels_of(spec, campaign.offices.values())
        contacts = [c for result in files for c in result.contacts]
        text = _text_contact(delivery, labels)
        if text is not None and not text.is_excluded(labels):
            text.file = BODY
            contacts.append(text)
        if not delivering(delivery, campaign, spec, contacts):
            contacts = [c for c in contacts if c.source in (FILE, PLAN)]
        if contacts:
            found.append(contact_return(spec, merge(contacts)))
    return found


def delivering(delivery: Delivery, campaign: Campaign, spec: FormSpec, contacts: list[Contact]) -> bool:
    """Whether the message is delivering contact details (see the module's docstring)."""
    if any(c.source in (FILE, PLAN) for c in contacts):
        return True
    due_together = {s.kind for s in campaign.forms if s.deadline == spec.deadline and s.kind != spec.kind}
    if any(r.kind in due_together for r in delivery.returns):
        return True
    if says_so(spec, _subject(delivery), subject=True) or says_so(spec, delivery.own_words):
        return True
    # Nothing else is sent: the text is the return, unless it is a thank-you with a signature below.
    rest = _without_contact_lines(delivery.own_words, spec)
    return not delivery.attachments and not delivery.links and bool(contacts) and not (rest.strip() and is_acknowledgement(rest))


def says_so(spec: FormSpec, text: str, *, subject: bool = False) -> bool:
    """Whether ``text`` says it sends or names the contact (any mention in a subject; in a body, a phrase)."""
    words = "|".join(map(re.escape, spec.keywords or (spec.label,)))
    if not words or not text:
        return False
    if subject:
        return bool(re.search(words, text))
    phrase = rf"(?:{_SENDING})[^。\n:：]{{0,12}}(?:{words})|(?:{words})(?:{_ABOUT})(?!\s*[:：])|(?:{words})为(?![:：])"
    # "联络人信息已于12月28日报送" speaks of an earlier message: this one is not sending it.
    return any(not _EARLIER.search(sentence) for sentence in _SENTENCE.split(text) if re.search(phrase, sentence))


def _subject(delivery: Delivery) -> str:
    # A reply to our reminder repeats its subject (…报送实施方案、联络人): that says nothing of this message.
    return "" if _REPLY_PREFIX.match(delivery.subject) else delivery.subject


def _text_contact(delivery: Delivery, labels) -> Contact | None:
    # The body first; the subject on its own (its last word never reaches into the body's first lines).
    subject = _subject(delivery)
    return contact_in_lines(delivery.own_words.splitlines(), labels) or (contact_in_lines([subject], labels) if subject else None)


def _without_contact_lines(text: str, spec: FormSpec) -> str:
    words = tuple(spec.keywords or (spec.label,))
    return "\n".join(line for line in text.splitlines() if not any(w in line for w in words))
