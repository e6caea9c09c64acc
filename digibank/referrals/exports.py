"""The request list as CSV or XLSX, with the page's filters, one row per request with its referrals.

Scoped as the page (``visible_to``: a partner worker gets only what their organisation sent or
received) and named as the page names the resident (first name only without consent to
share). Audited as an export of each resident on it.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_residents_listed
from digibank.lib.exports import table_response
from digibank.networks.access import staff_view

from . import selectors
from .forms import RequestFilterForm
from .models import Referral

REQUEST_EXPORT_FIELDS = ("name", "requests")


@require_GET
@staff_view("request.view")
def request_list_export(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = RequestFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    referrals = (
        Referral.objects.visible_to(membership)
        .select_related("service", "to_organisation")
        .order_by("created_at", "pk")
    )
    qs = selectors.request_list(
        membership=membership,
        status=values.get("status", ""),
        channel=values.get("channel", ""),
        reference=values.get("reference", ""),
    ).prefetch_related(Prefetch("referrals", queryset=referrals, to_attr="visible_referrals"))
    rows = selectors.with_shown(membership=membership, requests=qs)
    audit_residents_listed(
        request=request,
        residents=selectors.residents_named(rows),
        fields=REQUEST_EXPORT_FIELDS,
        action=AuditAction.EXPORT,
    )
    headers = [
        _("Reference"),
        _("Resident"),
        _("Needs"),
        _("Urgency"),
        _("Came in through"),
        _("Referred by"),
        _("Status"),
        _("Received"),
        _("Referrals"),
        _("Referred to"),
        _("Referral status"),
        _("Service delivered at"),
    ]
    table = (
        [
            req.reference,
            req.shown.name,
            ", ".join(req.need_labels()),
            req.get_urgency_display(),
            req.get_channel_display(),
            req.referred_by.name if req.referred_by else "",
            req.get_status_display(),
            req.created_at,
            len(req.visible_referrals),
            "; ".join(f"{r.to_organisation} – {r.service}" for r in req.visible_referrals),
            "; ".join(r.get_status_display() for r in req.visible_referrals),
            "; ".join(
                timezone.localtime(r.delivered_at).strftime("%d/%m/%Y")
                for r in req.visible_referrals
                if r.delivered_at
            ),
        ]
        for req in rows
    )
    return table_response(
        fmt="xlsx" if request.GET.get("format") == "xlsx" else "csv",
        filename=f"requests-{timezone.localdate():%Y-%m-%d}",
        headers=headers,
        rows=table,
        title=_("Requests"),
    )
