"""Send one message so that "sent" is recorded before the server can accept it: at most once, across crashes.

The DATA payload goes out without its final dot, the caller commits "sent" to the ledger, and only then
the dot completes the SMTP transaction. A crash before the commit leaves the server with an unfinished
transaction, which it drops; the row is sent again later. A crash after it is a receipt marked sent.
"""

from __future__ import annotations

import re
import smtplib
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

_EOL = re.compile(rb"\r\n|\n|\r(?!\n)")
_DOT = re.compile(rb"(?m)^\.")


def send_then_commit(client: smtplib.SMTP, message: EmailMessage, commit: Callable[[], None]) -> None:
    """MAIL, RCPT, DATA without the final dot, ``commit()``, then the dot; smtplib errors propagate."""
    sender = parseaddr(str(message["From"]))[1]
    recipients = [addr for _, addr in getaddresses([str(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])]
    client.ehlo_or_helo_if_needed()
    _expect(client.mail(sender), (250,), smtplib.SMTPSenderRefused, sender)
    for rcpt in recipients:
        code, text = client.rcpt(rcpt)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({rcpt: (code, text)})
    _expect(client.docmd("data"), (354,), smtplib.SMTPDataError)
    client.send(_quoted(message))
    commit()
    client.send(b".\r\n")
    _expect(client.getreply(), (250,), smtplib.SMTPDataError)


def _quoted(message: EmailMessage) -> bytes:
    data = _DOT.sub(b"..", _EOL.sub(b"\r\n", message.as_bytes(policy=policy.SMTP)))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _expect(reply: tuple[int, bytes], codes: tuple[int, ...], error: type, *extra) -> None:
    code, text = reply
    if code not in codes:
        raise error(code, text, *extra)
