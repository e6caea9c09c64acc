"""The loan list and the waiting list as CSV or XLSX: the same filters and scoping as the pages.

Through the one export helper (``digibank.lib.exports``), so a name typed as "=cmd" or a note
with a control character never breaks or runs. Both lists name residents: the download is
audited as an export of each resident on it (fields: what the file holds about them).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_residents_listed
from digibank.lib.exports import table_response
from digibank.networks.access import staff_view

from . import selectors
from .forms import LoanFilterForm, WaitingFilterForm
from .models import LoanStatus

LOAN_EXPORT_FIELDS = ("name", "loans")
WAITING_EXPORT_FIELDS = ("name", "waiting_list")


def _fmt(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


@require_GET
@staff_view("loan.view")
def loan_list_export(request: HttpRequest) -> HttpResponse:
    form = LoanFilterForm(request.GET or None)
    show = form.cleaned_data["show"] if form.is_valid() and form.cleaned_data["show"] else "active"
    today = timezone.localdate()
    loans = list(selectors.loan_list(membership=request.membership, show=show, today=today))
    audit_residents_listed(
        request=request,
        residents=[loan.resident for loan in loans],
        fields=LOAN_EXPORT_FIELDS,
        action=AuditAction.EXPORT,
    )
    headers = [
        _("Agreement"),
        _("Kind"),
        _("Resident"),
        _("Asset tag"),
        _("Device"),
        _("Handed over on"),
        _("Due on"),
        _("Returned on"),
        _("Status"),
        _("Overdue"),
        _("Extensions"),
    ]
    rows = (
        [
            loan.number,
            loan.get_kind_display(),
            loan.resident.full_name,
            loan.device.asset_tag,
            f"{loan.device.brand} {loan.device.model}".strip(),
            loan.started_on,
            loan.due_on,
            loan.returned_on,
            loan.get_status_display(),
            _("yes") if loan.status == LoanStatus.ACTIVE and loan.due_on and loan.due_on < today else _("no"),
            loan.extensions,
        ]
        for loan in loans
    )
    return table_response(
        fmt=_fmt(request),
        filename=f"loans-{show}-{today:%Y-%m-%d}",
        headers=headers,
        rows=rows,
        title=_("Loans"),
    )


@require_GET
@staff_view("loan.view")
def waiting_list_export(request: HttpRequest) -> HttpResponse:
    form = WaitingFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    entries = list(selectors.waiting_list(membership=request.membership, device_kind=kind))
    audit_residents_listed(
        request=request,
        residents=[entry.resident for entry in entries],
        fields=WAITING_EXPORT_FIELDS,
        action=AuditAction.EXPORT,
    )
    headers = [
        _("Place"),
        _("Resident"),
        _("Device"),
        _("Category"),
        _("Since"),
        _("Note"),
        _("Exception to the eligibility rules"),
        _("Offers expired"),
    ]
    rows = (
        [
            entry.position,
            entry.resident.full_name,
            entry.device_kind_label,
            entry.category.name,
            entry.requested_at,
            entry.note,
            entry.override_reason,
            entry.expired_offers,
        ]
        for entry in entries
    )
    today = timezone.localdate()
    return table_response(
        fmt=_fmt(request),
        filename=f"waiting-list-{kind or 'all'}-{today:%Y-%m-%d}",
        headers=headers,
        rows=rows,
        title=_("Waiting list"),
    )
