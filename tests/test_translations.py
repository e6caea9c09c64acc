"""The catalogues: Dutch addresses everyone with "u", never "je"/"jij" (one voice in the product)."""

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)


def translations(path: Path) -> list[str]:
    """Every msgstr of a .po file (continuation lines joined), obsolete entries left out."""
    found, current = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            current = None
            continue
        if line.startswith("msgstr"):
            current = line.split(" ", 1)[1].strip('"')
            found.append(current)
        elif line.startswith('"') and current is not None and found:
            found[-1] += line.strip('"')
        else:
            current = None
    return found


def test_dutch_says_u_everywhere():
    informal = [text for text in translations(CATALOGUE) if INFORMAL.search(text)]
    assert informal == []


def test_the_check_would_see_an_informal_text(tmp_path):
    sample = tmp_path / "django.po"
    sample.write_text('msgid "Your shifts"\nmsgstr ""\n"Je shiften"\n', encoding="utf-8")
    assert [t for t in translations(sample) if INFORMAL.search(t)] == ["Je shiften"]
