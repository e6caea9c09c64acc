"""``{{ device.serial|serial }}``: a serial as staff can read and type it (lib.serials.serial_display)."""

from django import template

from digibank.lib.serials import serial_display

register = template.Library()


@register.filter(name="serial")
def serial_filter(value) -> str:
    """Invisible characters shown escaped (``\\x82``), never as blanks; "" for no serial."""
    return serial_display(value)
