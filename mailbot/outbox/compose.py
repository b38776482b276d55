"""Render the Chinese reply to a message from its Delivery, as an outbox row (sent later by SMTP)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from mailbot.clock import chinese_date, chinese_datetime
from routing.delivery import Delivery, Outcome
from routing.model.campaign import Campaign, Office

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates" / "replies"),
    autoescape=False,
    keep_trailing_newline=True,
    trim_blocks=False,
)

# Which outcomes are answered, and how urgently (0 first when the sending budget is short).
PRIORITY = {
    Outcome.REFUSED_CLASSIFIED: 0,
    Outcome.INVALID: 1,
    Outcome.UNSUPPORTED: 1,
    Outcome.NO_FORMS: 1,
    Outcome.UNKNOWN_SENDER: 1,
    Outcome.HELD_FOR_REVIEW: 1,
    Outcome.ACCEPTED: 2,
    Outcome.DUPLICATE: 2,
}


def render(template: str, **context) -> str:
    """Render one reply template."""
    return _ENV.get_template(f"{template}.txt").render(**context).strip() + "\n"


def subject_for(delivery: Delivery, office: Office) -> str:
    """A threaded subject; a 涉密 refusal never repeats the sender's subject."""
    if delivery.outcome is Outcome.REFUSED_CLASSIFIED or delivery.withhold_content:
        # The notice's own words (如内容涉密 …), which the gate knows as harmless: a reply quoting it is not held.
        return f"{office.name}：关于您所发邮件的回复（如内容涉密，请使用光盘报送）"
    original = delivery.subject.strip() or "（无主题）"
    return original if original.startswith(("回复：", "Re:", "RE:")) else f"回复：{original}"


def thread_headers(delivery: Delivery) -> dict[str, str]:
    """In-Reply-To and References so the receipt sits under the department's mail."""
    if not delivery.message_id:
        return {}
    references = delivery.headers.get("References", "")
    return {"In-Reply-To": delivery.message_id, "References": f"{references} {delivery.message_id}".strip()}


def base_context(delivery: Delivery, campaign: Campaign, office: Office, today: dt.date) -> dict:
    """What every template may use."""
    unit = delivery.unit
    return {
        "campaign": campaign,
        "office": office,
        "mailbox": delivery.mailbox,
        "received": chinese_datetime(delivery.received_at, campaign.timezone),
        "today": chinese_date(today),
        "salutation": unit.name if unit else "",  # empty: the template opens with 您好！ alone, never twice
    }
