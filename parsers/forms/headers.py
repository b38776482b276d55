"""A header cell read as the form's own word for it: its explanation in brackets, quotes and trailing words aside.

"事项依据（文件名称、文号及具体条款）", "“事项名称”" and "调整建议及措施" are the notice's 事项依据, 事项名称 and
调整建议; a campaign's own spellings are column aliases in its file, compared the same way.
"""

from __future__ import annotations

import functools
import re

# Bracketed explanations after NFKC ((), and the kinds NFKC leaves alone), and every kind of quote mark.
_EXPLANATION = re.compile(r"[(\[【〔][^()\[\]【】〔〕]*[)\]】〕]")
_QUOTES = re.compile(r"[\"'“”‘’「」『』《》]")
MIN_LEADING = 2  # a form word this short or shorter never claims a longer header by its leading words


CACHED = 200  # characters: longer cells (no header is that long) are worked out without filling the cache


def header_key(cell: str, vocabulary: tuple[str, ...]) -> str:
    """``cell`` (already a text.key) as one of ``vocabulary`` (keys, longest first) when it is that word, else as it is."""
    return _cached(cell, vocabulary) if len(cell) <= CACHED else _header_key(cell, vocabulary)


def _header_key(cell: str, vocabulary: tuple[str, ...]) -> str:
    if not cell or cell in vocabulary:
        return cell
    bare = _QUOTES.sub("", _EXPLANATION.sub("", cell))
    if bare in vocabulary:
        return bare
    unquoted = _unquoted(vocabulary)
    if bare in unquoted:
        return unquoted[bare]  # 一河一策河段 is the form's “一河一策”河段: quotes are not part of the word
    for word in vocabulary:
        if len(word) >= MIN_LEADING and bare.startswith(word):
            return word
    return cell


@functools.lru_cache(maxsize=256)
def _unquoted(vocabulary: tuple[str, ...]) -> dict[str, str]:
    # The form's words that hold quote marks, keyed without them.
    return {_QUOTES.sub("", w): w for w in vocabulary if _QUOTES.search(w)}


_cached = functools.lru_cache(maxsize=16384)(_header_key)
