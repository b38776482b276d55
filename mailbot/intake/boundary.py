"""One message's boundary: a failure about the message holds it for a person; only the database's own failure stops a pass."""

from __future__ import annotations

from sqlalchemy import exc as sa

from mailbot.errors import TemporaryFailure

# The database itself is unwell: the connection is lost, the file is locked or full, the server is shutting down.
# Data errors (a value that does not fit, a broken constraint, a value the driver cannot send) are about a message.
_DATABASE_DOWN = (sa.OperationalError, sa.InterfaceError, sa.InternalError)


class LedgerUnavailable(TemporaryFailure):
    """The ledger database cannot be used just now; the message in hand stays unrecorded and is read again later."""


def database_down(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of the database connection itself rather than of one message's data."""
    if isinstance(exc, LedgerUnavailable):
        return True
    if isinstance(exc, sa.DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, _DATABASE_DOWN)
    return isinstance(exc, (sa.DisconnectionError, sa.TimeoutError))


def raise_if_down(exc: BaseException) -> None:
    """Raise LedgerUnavailable (the driver's error chained) when ``exc`` is the database's own failure; else return."""
    if isinstance(exc, LedgerUnavailable):
        raise exc
    if database_down(exc):
        raise LedgerUnavailable(f"台账数据库暂时无法使用（{type(exc).__name__}），本轮收取已停止，未登记的邮件将在下一轮重新处理。") from exc
