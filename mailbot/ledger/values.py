"""Values as every ledger can keep them: no NUL or control characters, strings bounded to their column, alike on each database."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from typing import Any

from sqlalchemy import JSON, Enum, String, event, inspect
from sqlalchemy.orm import Session

from mailbot.ledger.models import Base

log = logging.getLogger(__name__)

# C0 controls except tab, newline and carriage return; DEL; lone surrogates (left by surrogateescape decoding).
# PostgreSQL refuses NUL in text and a varchar longer than its column, where SQLite keeps both; neither driver can
# encode a lone surrogate in text. JSON takes all of them escaped, but they are no more use there. Cleaning before
# the database sees a value makes the two ledgers hold the same thing.
UNFIT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# The same characters as json.dumps(..., ensure_ascii=False) writes them (a cheap test before walking a big value).
_UNFIT_JSON = re.compile(r"\\u00[01][0-9a-fA-F]|\\[bf]|[\x7f\ud800-\udfff]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")
DIGEST_CHARS = 16  # 64 bits of SHA-256: enough to keep apart the long values of one ledger


def clean_text(value: str) -> str:
    """``value`` without the characters a ledger cannot keep alike."""
    return UNFIT.sub("", value) if UNFIT.search(value) else value


def fit_text(value: str, limit: int | None) -> str:
    """``value`` cleaned and, when longer than ``limit``, cut with a digest of the whole value (and its extension) at the end.

    Equal values stay equal and different ones stay different, so a bounded Message-ID still finds its duplicates.
    """
    value = clean_text(value)
    if limit is None or len(value) <= limit:
        return value
    digest = "…" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:DIGEST_CHARS]
    extension = _EXTENSION.search(value)
    tail = digest + extension.group() if extension and len(digest + extension.group()) * 2 <= limit else digest
    return value[:limit] if len(tail) * 2 > limit else value[: limit - len(tail)] + tail


def clean_json(value: Any) -> Any:
    """A JSON value with every string (keys too) cleaned; the value itself when nothing needs it."""
    try:
        dumped = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        return value  # the column's own serialiser will say what is wrong
    return _walk(value) if _UNFIT_JSON.search(dumped) else value


def _walk(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {(clean_text(k) if isinstance(k, str) else k): _walk(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_walk(v) for v in value]
    return value


def column_limit(attribute) -> int | None:
    """The length of a mapped string column (``MessageRow.message_id`` -> 500), None for unbounded text."""
    return getattr(attribute.property.columns[0].type, "length", None)


def fit_row(row: Base) -> None:
    """Clean and bound every string and JSON value about to be written for ``row``."""
    state = inspect(row)
    for key, kind in _fitted_columns(state.mapper):
        added = state.attrs[key].history.added
        if not added or added[0] is None:
            continue
        value = added[0]
        if isinstance(kind, JSON):
            fitted = clean_json(value)
        elif isinstance(value, str):
            fitted = fit_text(value, kind.length)
        else:
            continue
        if fitted is not value:
            log.info("%s.%s cleaned or shortened to fit the ledger", state.mapper.local_table.name, key)
            setattr(row, key, fitted)


@functools.cache
def _fitted_columns(mapper) -> tuple:
    # The string and JSON columns of a model, found once: fit_row runs for every row of every message.
    return tuple((prop.key, prop.columns[0].type) for prop in mapper.column_attrs
                 if isinstance(prop.columns[0].type, JSON)
                 or (isinstance(prop.columns[0].type, String) and not isinstance(prop.columns[0].type, Enum)))


def fit_session(session: Session, _context, _instances) -> None:
    """before_flush: every new or changed ledger row is fitted."""
    for row in list(session.new) + list(session.dirty):
        if isinstance(row, Base):
            fit_row(row)


event.listen(Session, "before_flush", fit_session)
