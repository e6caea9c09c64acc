"""Small template helpers for opening hours."""

import datetime

from django import template

register = template.Library()


@register.filter
def clock(value) -> str:
    """A time as HH:MM; a closing time of 00:00 reads 24:00 (midnight at the end of the day)."""
    if not isinstance(value, datetime.time):
        return ""
    return f"{value:%H:%M}"


@register.filter
def closing(value) -> str:
    if value == datetime.time(0, 0):
        return "24:00"
    return clock(value)


@register.filter
def percent(value) -> str:
    """0.4567 -> "46 %"; None -> "–"."""
    if value is None:
        return "–"
    return f"{round(value * 100)} %"
