"""The audit trail for coordinators: the network's recent entries, per person, per staff member.

These pages show who looked at whom; they are not themselves recorded (that would fill the
trail with entries about reading the trail). The page of one person's trail lives with the app
that owns the person's record (e.g. residents:audit) and renders ``subject_trail``; this app
names people through the privacy registry and imports none of those apps.
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from digibank.networks.access import staff_view
from digibank.networks.models import Membership

from . import selectors
from . import shown as audit_shown
from .models import AuditAction


def _render(
    request: HttpRequest, *, subject_kind: str = "", subject_id=None, actor_id=None, **context
) -> HttpResponse:
    # Reading the trail is oversight, not a view of the people in it (audit.shown).
    audit_shown.exempt()
    action = request.GET.get("action", "")
    if action not in AuditAction.values:
        action = ""
    entries = selectors.audit_entries(
        membership=request.membership,
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        actor_id=actor_id,
    )
    page = Paginator(entries, selectors.ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    member_ids = selectors.membership_ids_by_user(network_id=request.membership.network_id, entries=shown)
    subjects = selectors.subjects_of(membership=request.membership, entries=shown)
    for entry in shown:
        entry.member_id = member_ids.get(entry.actor_id)
        entry.field_labels = selectors.field_labels(entry.fields, entry.subject_kind)
        entry.subject_ref = subjects.get((entry.subject_kind, entry.subject_id))
        entry.subject_kind_label = selectors.subject_kind_label(entry.subject_kind)
    return render(
        request,
        "audit/list.html",
        {"page": page, "entries": shown, "action": action, "actions": AuditAction.choices, **context},
    )


def subject_trail(
    request: HttpRequest, *, subject_kind: str, subject_id: int, title: str, back_url: str = ""
) -> HttpResponse:
    """One person's trail. Called by the view of the app that owns the record, after it checked
    ``audit.view`` and that the member may see this person (staff_view with its model)."""
    return _render(
        request,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_title=title,
        subject_back_url=back_url,
    )


@require_GET
@staff_view("audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    return _render(request)


@require_GET
@staff_view("audit.view", model=Membership, related=("user",))
def audit_member(request: HttpRequest, member: Membership) -> HttpResponse:
    return _render(request, actor_id=member.user_id, member=member)
