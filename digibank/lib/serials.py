"""Serial numbers as they come from real disks: the one key we match on, and how we show them.

Serials read by ``lshw``, ``nwipe`` or ``smartctl`` can hold non-ASCII letters and raw control
bytes. Python and SQLite upper-case differently (SQLite's ``UPPER`` and ``LIKE`` only fold
ASCII), so a match done in the database with ``__iexact`` differs between SQLite and
PostgreSQL. Instead every serial gets a *key* computed here, in Python, stored next to it and
compared with plain equality: the same on every database.

- ``serial_key``: surrounding whitespace stripped, Unicode NFKC-normalised, case-folded, and
  every invisible character (control bytes, format characters such as a zero-width space)
  written as a visible escape like ``\\x82``. The key of a serial typed as ``\\x82`` (as staff
  see it on a page) is the key of the serial with the raw byte: staff can type what they see.
- ``serial_display``: the serial as a person should see it: invisible characters escaped the same
  way, never shown as blanks.
"""

from __future__ import annotations

import re
import unicodedata

# Control (Cc), format (Cf), surrogate (Cs), private-use (Co) and unassigned (Cn) characters are
# invisible or unprintable; so are line and paragraph separators and any space but the plain one.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# What "surrounding whitespace" means here: Python's str.strip() would also eat the control bytes
# \x1c-\x1f and \x85 at either end, which belong to the serial and must stay visible.
WHITESPACE = " \t\n\r\f\v"


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    return category in INVISIBLE_CATEGORIES or (category == "Zs" and char != " ")


def escape_char(char: str) -> str:
    """``"\\x82"`` for U+0082, ``"\\u200b"`` for a zero-width space (Python's own spelling)."""
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_invisible(text: str) -> str:
    """Every invisible character of ``text`` as its visible escape; the rest unchanged."""
    return "".join(escape_char(c) if _is_invisible(c) else c for c in text)


def serial_display(value) -> str:
    """A serial as staff see it: surrounding whitespace stripped, invisible characters escaped."""
    if value is None:
        return ""
    return escape_invisible(str(value).strip(WHITESPACE))


def serial_key(value) -> str:
    """The key serials are matched and kept unique on (see the module docstring). "" for no serial."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip(WHITESPACE).casefold()
    # Folded once more after escaping, so a typed escape ("\X82") and the raw byte give one key.
    return escape_invisible(text).casefold()


def serial_keys(text: str) -> list[str]:
    """The keys of a list of serials separated by commas, semicolons or whitespace (disk serials)."""
    keys = (serial_key(part) for part in re.split(r"[,;\s]+", text or "", flags=re.ASCII))
    return list(dict.fromkeys(k for k in keys if k))
