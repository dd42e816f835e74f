"""Turning what a member typed into a safe FTS5 query: words only, each a quoted prefix.

FTS5 has its own syntax (``"``, ``*``, ``-``, ``:``, ``(``, ``NEAR``, ``OR``, ``AND``,
``NOT``, ``^``…). Only runs of letters and digits are kept, each wrapped in double quotes
(so ``OR`` or ``NEAR`` are plain words) and followed by ``*`` (prefix search) from two
letters on; the words are ANDed. Nothing typed can reach the query as syntax, and the
query goes in as a bound parameter, never into the SQL text.
"""

from __future__ import annotations

import re

from bot.domain.directory.card import fold

MAX_TERMS = 6
MAX_TERM_LENGTH = 40
MAX_QUERY_BYTES = 40
MIN_PREFIX = 2
"""What a search keeps of the typed text (and what fits in a button's payload)."""
_WORD = re.compile(r"[^\W_]+")


def search_terms(text: str) -> tuple[str, ...]:
    """The words searched for: folded (no accent, lower case), at most ``MAX_TERMS``.

    The words joined by spaces fit in ``MAX_QUERY_BYTES`` (they travel in the paging
    buttons); longer input is cut at a word.
    """
    terms: list[str] = []
    size = 0
    for word in _WORD.findall(fold(text)):
        word = word[:MAX_TERM_LENGTH]
        size += len(word.encode()) + (1 if terms else 0)
        if len(terms) == MAX_TERMS or size > MAX_QUERY_BYTES:
            break
        terms.append(word)
    return tuple(terms)


def fts_query(terms: tuple[str, ...]) -> str | None:
    """The FTS5 MATCH expression for ``terms`` (None: nothing to search for).

    A one-letter term is a whole word ("a" does not match every card): prefixes start at
    two letters, the shortest prefix index (``prefix = '2 3'``).
    """
    if not terms:
        return None
    return " ".join(f'"{term}"' if len(term) < MIN_PREFIX else f'"{term}"*' for term in terms)
