"""The audit trail for coordinators: the network's recent entries, per resident, per staff member.

These pages show who looked at whom; they are not themselves recorded (that would fill the
trail with entries about reading the trail).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digibank.networks.access import staff_view
from digibank.networks.models import Membership
from digibank.residents.models import Resident

from . import selectors
from .models import AuditAction


def _render(request: HttpRequest, *, resident_id=None, actor_id=None, **context) -> HttpResponse:
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    entries = selectors.audit_entries(
        membership=request.membership, action=action, resident_id=resident_id, actor_id=actor_id
    )
    page = Paginator(entries, selectors.ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    member_ids = selectors.membership_ids_by_user(network_id=request.membership.network_id, entries=shown)
    for entry in shown:
        entry.member_id = member_ids.get(entry.actor_id)
        entry.field_labels = selectors.field_labels(entry.fields)
    return render(
        request,
        "audit/list.html",
        {"page": page, "entries": shown, "action": action, "actions": AuditAction.choices, **context},
    )


@require_GET
@staff_view("audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


@require_GET
@staff_view("audit.view", model=Resident)
def audit_resident(request: HttpRequest, resident: Resident) -> HttpResponse:
    return _render(request, resident_id=resident.pk, resident=resident)


@require_GET
@staff_view("audit.view", model=Membership)
def audit_member(request: HttpRequest, member: Membership) -> HttpResponse:
    return _render(request, actor_id=member.user_id, member=member)
