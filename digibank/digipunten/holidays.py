"""Belgian public holidays: the days every digipunt is closed, with their names in every language.

A closure made from this list keeps which holiday it is (``Closure.holiday``), so a page in
French or English names it in that language; a closure typed by hand keeps its own text.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.TextChoices):
    NEW_YEAR = "new_year", _("New Year's Day")
    EASTER_MONDAY = "easter_monday", _("Easter Monday")
    LABOUR_DAY = "labour_day", _("Labour Day")
    ASCENSION = "ascension", _("Ascension Day")
    WHIT_MONDAY = "whit_monday", _("Whit Monday")
    NATIONAL_DAY = "national_day", _("Belgian National Day")
    ASSUMPTION = "assumption", _("Assumption Day")
    ALL_SAINTS = "all_saints", _("All Saints' Day")
    ARMISTICE = "armistice", _("Armistice Day")
    CHRISTMAS = "christmas", _("Christmas Day")


def easter(year: int) -> datetime.date:
    """Easter Sunday (Gregorian; the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return datetime.date(year, month, day)


def belgian_public_holidays(year: int) -> list[tuple[datetime.date, Holiday]]:
    """The ten legal public holidays of Belgium in ``year``, in date order."""
    e = easter(year)
    return [
        (datetime.date(year, 1, 1), Holiday.NEW_YEAR),
        (e + datetime.timedelta(days=1), Holiday.EASTER_MONDAY),
        (datetime.date(year, 5, 1), Holiday.LABOUR_DAY),
        (e + datetime.timedelta(days=39), Holiday.ASCENSION),
        (e + datetime.timedelta(days=50), Holiday.WHIT_MONDAY),
        (datetime.date(year, 7, 21), Holiday.NATIONAL_DAY),
        (datetime.date(year, 8, 15), Holiday.ASSUMPTION),
        (datetime.date(year, 11, 1), Holiday.ALL_SAINTS),
        (datetime.date(year, 11, 11), Holiday.ARMISTICE),
        (datetime.date(year, 12, 25), Holiday.CHRISTMAS),
    ]
