"""Text as people type it: one normalisation for matching names, the same on every database.

Databases compare text differently (SQLite's ``LIKE`` folds ASCII letters only, PostgreSQL's
``ILIKE`` follows the collation, neither ignores accents without extensions). So a name is
matched on a *key* computed here, in Python, stored next to it and compared with a plain
``contains``: ``yilmaz`` finds Yılmaz, ``celine`` finds Céline, ``MULLER`` finds Müller.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ŀ": "l",
        "ħ": "h",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
    }
)
_SPACES = re.compile(r"[\s\-_'.,]+")


def search_key(text: str) -> str:
    """'  Çelik-Yılmaz ' -> 'celik yilmaz': no accents, case folded, words split by one space."""
    # Case folded first: some combining marks fold to letters (U+0345 -> ι), as their capitals do.
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold().translate(_FOLD)
    return _SPACES.sub(" ", folded).strip()


def search_words(query: str, *, limit: int = 5) -> list[str]:
    """The keys of the words of a search query (at most ``limit``), empty words dropped."""
    return [word for word in search_key(query).split(" ") if word][:limit]
