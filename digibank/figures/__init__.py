"""One figures policy: how many people a figure may rest on before someone outside the desk sees it.

Every figure that a steering-group member, a partner or the public can see goes through a
:class:`FiguresPolicy`. Under a suppressing policy

- a count of 1 to 4 people is shown as "< 5" (*primary* suppression; 0 is shown: it names
  nobody);
- when a table's cells add up to a total that is shown (or can be added up from the shown
  cells), one hidden cell could be worked out by subtraction, so more cells are hidden, the
  smallest first, until the hidden cells together hold at least 5 people or every non-zero
  cell is hidden (*secondary* suppression);
- a share (solved on the spot, no-shows) is shown only when both the part and the rest are 0 or
  at least 5, and a median only when it rests on at least 5 values.

Members who may see residents anyway (``resident.view``) get the plain figures; everyone
else -- the steering group, the public site -- gets the suppressing policy. A capability never
writes its own rule: it asks ``FiguresPolicy.for_member(membership)`` (or ``PUBLIC``) and
wraps each number with ``count``/``counts``/``share``/``median``. The result is a
:class:`Figure`, which renders itself ("12", "< 5", "46 %", "–") in a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format

__all__ = ["PUBLIC", "SMALL_NUMBER", "Figure", "FiguresPolicy"]

# Groups smaller than this are not shown outside the desk.
SMALL_NUMBER = 5

# Who may see every figure: members who see the residents themselves.
UNSUPPRESSED_PERMISSION = "resident.view"


@dataclass(frozen=True)
class Figure:
    """One number as shown. ``value`` is None when suppressed (or when there is no value)."""

    value: int | float | None
    suppressed: bool = False
    kind: str = "count"  # "count", "share" (0..1), "median" (days), "amount" (kg, minutes)

    @property
    def shown(self) -> bool:
        return not self.suppressed and self.value is not None

    def __str__(self) -> str:
        if self.suppressed:
            return f"< {SMALL_NUMBER}" if self.kind == "count" else "–"
        if self.value is None:
            return "–"
        if self.kind == "share":
            return f"{round(self.value * 100)} %"
        if self.kind == "median":
            return number_format(self.value, 1)
        return number_format(self.value, 0 if isinstance(self.value, int) else 1)


def _is_small(n: int) -> bool:
    return 0 < n < SMALL_NUMBER


@dataclass(frozen=True)
class FiguresPolicy:
    suppress: bool = True

    @classmethod
    def for_member(cls, membership) -> FiguresPolicy:
        """Plain figures for members who see residents anyway; suppressed for everyone else."""
        return cls(suppress=not (membership is not None and membership.has(UNSUPPRESSED_PERMISSION)))

    def count(self, n: int | None) -> Figure:
        """A count of people (or of what one person did) standing on its own."""
        if n is None:
            return Figure(None)
        return Figure(None, suppressed=True) if self.suppress and _is_small(n) else Figure(n)

    def counts(self, values: Sequence[int]) -> list[Figure]:
        """The cells of one table whose total is known: primary and secondary suppression."""
        if not self.suppress:
            return [Figure(v) for v in values]
        hidden = {i for i, v in enumerate(values) if _is_small(v)}
        if hidden:
            # The hidden cells add up to total - shown cells: make that sum tell nothing.
            others = sorted((v, i) for i, v in enumerate(values) if i not in hidden and v > 0)
            while others and (len(hidden) < 2 or sum(values[i] for i in hidden) < SMALL_NUMBER):
                hidden.add(others.pop(0)[1])
        return [Figure(None, suppressed=True) if i in hidden else Figure(v) for i, v in enumerate(values)]

    def amount(self, value, *, resting_on: Figure) -> Figure:
        """A quantity derived from a count (kg, minutes): hidden when that count is hidden."""
        return (
            Figure(None, suppressed=True, kind="amount")
            if resting_on.suppressed
            else Figure(value, kind="amount")
        )

    def share(self, part: int, whole: int, *, whole_figure: Figure | None = None) -> Figure:
        """part / whole, or "–" when the share would tell a small group (or there is no whole)."""
        if not whole:
            return Figure(None, kind="share")
        if self.suppress and (
            _is_small(part)
            or _is_small(whole - part)
            or (whole_figure is not None and whole_figure.suppressed)
        ):
            return Figure(None, suppressed=True, kind="share")
        return Figure(part / whole, kind="share")

    def median(self, value: float | None, *, resting_on: int) -> Figure:
        if value is None:
            return Figure(None, kind="median")
        if self.suppress and resting_on < SMALL_NUMBER:
            return Figure(None, suppressed=True, kind="median")
        return Figure(value, kind="median")


PUBLIC = FiguresPolicy(suppress=True)
