"""The help contacts as CSV or XLSX: every contact the member may see (a volunteer: their own).

Help contacts are anonymous (theme, minutes, language, outcome); the export names no resident,
so there is nothing personal to audit.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from digibank.lib.exports import table_response
from digibank.networks.access import staff_view

from .. import selectors


@require_GET
@staff_view("helpcontact.register")
def contact_list_export(request: HttpRequest) -> HttpResponse:
    contacts = selectors.help_contact_list(membership=request.membership)
    headers = [
        _("When"),
        _("Where"),
        _("Theme"),
        _("Minutes"),
        _("Language"),
        _("Outcome"),
        _("Led to a request"),
        _("By"),
    ]
    rows = (
        [
            c.occurred_at,
            c.digipunt.name,
            c.theme.label,
            c.minutes,
            c.get_language_display(),
            c.get_outcome_display(),
            _("yes") if c.request_id else _("no"),
            str(c.registered_by) if c.registered_by else "",
        ]
        for c in contacts.iterator(chunk_size=500)
    )
    return table_response(
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"help-contacts-{timezone.localdate():%Y-%m-%d}",
        headers=headers,
        rows=rows,
        title=_("Help contacts"),
    )
