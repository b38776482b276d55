"""Send one message so that its fate is recorded before the server can accept it: at most once, across crashes.

The DATA payload goes out without its final dot, the caller commits "uncertain" to the ledger, and only then
the dot completes the SMTP transaction; the server's 250 turns it into "sent". A crash before the commit leaves
the server with an unfinished transaction, which it drops; the row is sent again later. From the commit on the
server may have the mail: a crash, a timeout waiting for the 250 (a late 250) or a connection dropped after the
dot leave the row uncertain, and a person decides (nothing sends it again by itself). A reply that refuses the
mail at the dot is an answer like any other: the server did not take it.
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


class DeliveryUnknown(Exception):
    """The final dot went out and no reply came: the server may or may not have accepted the mail."""


def send_then_commit(client: smtplib.SMTP, message: EmailMessage, commit: Callable[[], None],
                     confirm: Callable[[], None] = lambda: None) -> None:
    """MAIL, RCPT, DATA without the final dot, ``commit()``, the dot, and ``confirm()`` on its 250.

    smtplib errors before the dot propagate; no reply after it raises DeliveryUnknown.
    """
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
    try:
        client.send(b".\r\n")
        reply = client.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise DeliveryUnknown(str(exc) or type(exc).__name__) from exc
    _expect(reply, (250,), smtplib.SMTPDataError)
    confirm()


def _quoted(message: EmailMessage) -> bytes:
    data = _DOT.sub(b"..", _EOL.sub(b"\r\n", message.as_bytes(policy=policy.SMTP)))
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _expect(reply: tuple[int, bytes], codes: tuple[int, ...], error: type, *extra) -> None:
    code, text = reply
    if code not in codes:
        raise error(code, text, *extra)
