"""The stdlib parser as the decoder uses it: headers kept raw, and forwarded messages however encoded."""

from __future__ import annotations

import base64
import binascii
import quopri
from email import message_from_bytes
from email.message import Message
from email.policy import Compat32


class RawHeaders(Compat32):
    """compat32, but header values come back exactly as sent (8-bit bytes kept as surrogates for our decoder)."""

    def header_fetch_parse(self, name, value):
        """The stored value, unfolded, without compat32's lossy 8-bit sanitising."""
        return value.replace("\r\n", "").replace("\n", "")


POLICY = RawHeaders()


def forwarded_messages(part: Message) -> list[Message]:
    """The message inside a message/rfc822 part (some clients base64 it, so it arrives unparsed)."""
    encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
    payload = part.get_payload()
    if isinstance(payload, list):
        if encoding not in ("base64", "quoted-printable") or payload[0].keys():
            return payload
        # The parser took the encoded text for a headerless message; decode it and parse again.
        payload = payload[0].get_payload()
    data = str(payload).encode("ascii", "surrogateescape")
    try:
        data = base64.b64decode(data) if encoding == "base64" else quopri.decodestring(data)
    except (binascii.Error, ValueError):
        return []
    return [message_from_bytes(data, policy=POLICY)]
