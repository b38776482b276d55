"""An SMTP server on loopback that misbehaves after the final dot: a late 250, a dropped connection, a Sent copy.

Scripted like tests/support/servers.SmtpSink.fail_next, with DATA replies that are not replies:
  "!late N"  deliver, then answer 250 only after N seconds (after the client's timeout: a late 250);
  "!drop"    deliver, then close the connection without answering;
  "!lost"    close the connection without answering and without delivering (the server died at the dot).
With ``save_sent`` every delivered mail is also stored in the sender's "Sent Messages" folder, as QQ and 126 do.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tests.support.servers import Received, SinkHandler, SmtpSink


class MisbehavingHandler(SinkHandler):
    """The sink's handler with the scripted misbehaviour at the end of DATA."""

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd hook
        """Late 250, drop after the dot, or lose the mail; else as the plain sink."""
        fault = self.sink.take_fault("DATA")
        if not fault or not fault.startswith("!"):
            if fault:
                return fault
            return self._deliver(session, envelope)
        if fault.startswith("!late"):
            self._deliver(session, envelope)
            await asyncio.sleep(float(fault.split()[1]))
            return "250 Message accepted for delivery"
        if fault == "!drop":
            self._deliver(session, envelope)
        server.transport.abort()
        return "250 never heard"  # written to a closed transport: the client hears nothing

    def _deliver(self, session, envelope) -> str:
        login = session.auth_data.login.decode() if session.authenticated and session.auth_data else None
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content, login)
        self.sink.deliver(received)
        if self.sink.save_sent and self.sink.dovecot is not None:
            self.sink.dovecot.append(login or envelope.mail_from, envelope.content, folder="Sent Messages")
        return "250 Message accepted for delivery"


@dataclass
class MisbehavingSink(SmtpSink):
    """SmtpSink with MisbehavingHandler (and an optional Sent copy of each delivered mail)."""

    handler: type = MisbehavingHandler
    save_sent: bool = False
