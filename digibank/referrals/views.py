"""Pages of the referral flow: intake, triage queue, request and referral pages, the partner's
inbox and outbox, "my work" and the figures.

Thin views: reads through selectors (already scoped), writes through services. Pages that show
a resident's name write an audit entry (lists: one bulk insert).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.catalogue import ports
from digibank.figures import FiguresPolicy
from digibank.lib import exports
from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view
from digibank.privacy.registry import RESIDENT
from digibank.residents import selectors as resident_selectors
from digibank.residents.forms import DuplicateConfirmForm, ResidentForm
from digibank.residents.models import Resident
from digibank.residents.services import LikelyDuplicate

from . import selectors, services
from .forms import (
    AssignForm,
    CloseForm,
    ConsentForm,
    FiguresForm,
    FollowUpForm,
    NoteForm,
    ReferForm,
    ReopenForm,
    RequestFilterForm,
    RequestForm,
    ResidentSearchForm,
    TransitionForm,
    TriageFilterForm,
    fixed_channel,
)
from .models import Referral, ReferralStatus, Request

RESIDENT_SEARCH_LIMIT = 20
# What the request and referral pages show of a resident, for the audit trail.
FULL_FIELDS = ["first_name", "last_name", "birth_year", "languages", "preferred_channel", "phone", "email"]
LIMITED_FIELDS = ["first_name"]


def _first_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _audit_view(request: HttpRequest, shown: selectors.ResidentShown) -> None:
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=shown.resident.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=shown.resident.pk,
        fields=FULL_FIELDS if shown.full else LIMITED_FIELDS,
    )


# What the referral pages show besides the referral itself (one query).
REFERRAL_RELATED = (
    "request__resident",
    "request__referred_by",
    "request__assigned_to",
    "service",
    "to_organisation",
)


def _get_request(request: HttpRequest, pk: int) -> Request:
    try:
        return (
            Request.objects.visible_to(request.membership)
            .select_related("resident", "referred_by", "assigned_to", "created_by")
            .get(pk=pk)
        )
    except (Request.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


# --- lists -----------------------------------------------------------------------------------


@require_GET
@staff_view("request.view")
def request_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = RequestFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    qs = selectors.request_list(
        membership=membership,
        status=values.get("status", ""),
        channel=values.get("channel", ""),
        reference=values.get("reference", ""),
    )
    page = Paginator(qs, selectors.REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.with_shown(membership=membership, requests=page.object_list)
    audit_residents_listed(request=request, residents=selectors.residents_named(rows))
    template = "referrals/request_list.html#results" if request.htmx else "referrals/request_list.html"
    return render(request, template, {"form": form, "page": page, "requests": rows})


@require_GET
@staff_view("request.triage")
def triage(request: HttpRequest) -> HttpResponse:
    """The service desk's queue: open requests, urgent and longest waiting first."""
    membership = request.membership
    form = TriageFilterForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    qs = selectors.triage_queue(
        membership=membership,
        status=values.get("status", ""),
        channel=values.get("channel", ""),
        assigned=values.get("assigned", ""),
        user=request.user,
    )
    page = Paginator(qs, selectors.REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.with_shown(membership=membership, requests=page.object_list)
    audit_residents_listed(request=request, residents=selectors.residents_named(rows))
    colleagues = list(services.triage_colleagues(network=membership.network_id))
    context = {
        "form": form,
        "page": page,
        "requests": rows,
        "colleagues": colleagues,
        "next": request.get_full_path(),
    }
    template = "referrals/triage.html#results" if request.htmx else "referrals/triage.html"
    return render(request, template, context)


@require_GET
@staff_view("request.view")
def inbox(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the member's organisation."""
    show = "all" if request.GET.get("show") == "all" else "active"
    qs = selectors.inbox(membership=request.membership, show=show)
    page = Paginator(qs, selectors.REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    referrals = selectors.referrals_with_shown(membership=request.membership, referrals=page.object_list)
    audit_residents_listed(request=request, residents=selectors.residents_named(referrals))
    return render(request, "referrals/inbox.html", {"referrals": referrals, "show": show, "page": page})


@require_GET
@staff_view("request.view")
def outbox(request: HttpRequest) -> HttpResponse:
    """Requests the member's organisation referred, with the status of each referral."""
    qs = selectors.outbox(membership=request.membership)
    page = Paginator(qs, selectors.REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    requests = selectors.with_shown(membership=request.membership, requests=page.object_list)
    audit_residents_listed(request=request, residents=selectors.residents_named(requests))
    return render(request, "referrals/outbox.html", {"requests": requests, "page": page})


@require_GET
@staff_view("request.view")
def my_work(request: HttpRequest) -> HttpResponse:
    result = selectors.work(membership=request.membership, user=request.user)
    audit_residents_listed(request=request, residents=result.residents())
    return render(request, "referrals/work.html", {"work": result})


@require_GET
@staff_view("figures.view")
def figures(request: HttpRequest) -> HttpResponse:
    """Median days to first referral and first service, by channel and referring partner.

    Aggregates only; roles without personal-data access see no group under 5 requests.
    """
    return render(request, "referrals/figures.html", _figures_context(request))


def _figures_context(request: HttpRequest) -> dict:
    membership = request.membership
    form = FiguresForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    result = selectors.referral_figures(
        network=membership.network_id,
        since=values.get("since"),
        until=values.get("until"),
        policy=FiguresPolicy.for_member(membership),
    )
    return {"form": form, "figures": result}


@require_GET
@staff_view("figures.view")
def figures_export(request: HttpRequest) -> HttpResponse:
    """The figures page as CSV or XLSX: what it shows, under the same policy and period."""
    return exports.figures_response(
        request,
        template="referrals/figures.html",
        context=_figures_context(request),
        fmt=request.GET.get("format", "csv"),
        filename="request-figures",
        title=_("Request figures"),
    )


# --- intake ----------------------------------------------------------------------------------


def _resident_for_intake(request: HttpRequest, value) -> Resident | None:
    if not str(value or "").isdigit():
        return None
    return Resident.objects.visible_to(request.membership).not_erased().filter(pk=int(value)).first()


@require_http_methods(["GET", "POST"])
@staff_view("request.create")
def request_create(request: HttpRequest) -> HttpResponse:
    """A new request: first who it is for (search a resident you may see, or register a new one
    with the usual duplicate warning), then the need. Partner workers refer on behalf of their
    organisation; digipunt staff register at their digipunt."""
    membership = request.membership
    data = request.POST if request.method == "POST" else None
    source = data if data is not None else request.GET
    new_resident = source.get("mode") == "new" or source.get("new") == "1"
    resident = None if new_resident else _resident_for_intake(request, source.get("resident"))

    if not new_resident and resident is None:
        search = ResidentSearchForm(request.GET or None)
        results = []
        if search.is_valid() and search.cleaned_data["q"].strip():
            results = list(
                resident_selectors.resident_list(membership=membership, query=search.cleaned_data["q"])[
                    :RESIDENT_SEARCH_LIMIT
                ]
            )
            audit_residents_listed(request=request, residents=results)
        if data is not None:
            messages.error(request, _("Choose the resident first."))
        template = "referrals/request_create.html#search" if request.htmx else "referrals/request_create.html"
        return render(request, template, {"step": "resident", "search": search, "results": results})

    form = RequestForm(data, membership=membership)
    resident_form = confirm_form = None
    duplicates = resident_selectors.DuplicateCheck()
    if new_resident:
        resident_form = ResidentForm(data, network_id=membership.network_id)
        resident_form.enable_duplicate_check(reverse("residents:duplicates"))
        confirm_form = DuplicateConfirmForm(data)
    if data is not None:
        forms_valid = form.is_valid() and (
            resident is not None or (resident_form.is_valid() and confirm_form.is_valid())
        )
        if forms_valid:
            channel, referred_by = form.channel_and_referrer()
            try:
                created = services.request_create(
                    network=membership.network_id,
                    resident=resident,
                    resident_data=resident_form.cleaned_data if resident is None else None,
                    needs=form.cleaned_data["needs"],
                    description=form.cleaned_data["description"],
                    urgency=form.cleaned_data["urgency"],
                    channel=channel,
                    referred_by=referred_by,
                    consent_to_share=form.cleaned_data["consent_to_share"],
                    actor=request.user,
                    membership=membership,
                    allow_duplicate=bool(confirm_form and confirm_form.cleaned_data["register_anyway"]),
                    source=request.path,
                )
            except LikelyDuplicate as exc:
                duplicates = exc.check
                confirm_form.add_error(
                    "register_anyway",
                    _("Check the likely duplicate above. Tick this box only if it is another person."),
                )
            except services.IntakeRefused as exc:
                form.add_error(None, exc)
            except ValidationError as exc:
                add_errors(
                    resident_form if resident_form is not None and _is_resident_error(exc) else form, exc
                )
            else:
                messages.success(
                    request, _("Request %(reference)s is registered.") % {"reference": created.reference}
                )
                return redirect("referrals:detail", pk=created.pk)
        if new_resident:
            audit_residents_listed(request=request, residents=duplicates.visible)
    context = {
        "step": "need",
        "form": form,
        "resident": resident,
        "resident_form": resident_form,
        "confirm_form": confirm_form,
        "duplicates": duplicates,
        "fixed": fixed_channel(membership),
    }
    return render(request, "referrals/request_create.html", context)


def _is_resident_error(exc: ValidationError) -> bool:
    return hasattr(exc, "error_dict") and bool(set(exc.error_dict) & set(ResidentForm.base_fields))


# --- one request -----------------------------------------------------------------------------


def _render_request(request: HttpRequest, req: Request, *, status: int = 200, **forms) -> HttpResponse:
    membership = request.membership
    shown = selectors.resident_shown(membership=membership, request=req)
    _audit_view(request, shown)
    context = {
        "req": req,
        "shown": shown,
        "referrals": selectors.request_referrals(membership=membership, request=req),
        "may_triage": membership.has("request.triage"),
    }
    if context["may_triage"]:
        colleagues = services.triage_colleagues(network=req.network_id)
        checks = selectors.eligibility_checks(request=req)
        refer_form = forms.get("refer_form") or ReferForm(network_id=req.network_id)
        chosen = {str(v) for v in (refer_form["services"].value() or [])}
        offered_kinds = {check.service.kind for check in checks}
        context.update(
            {
                "assign_form": forms.get("assign_form")
                or AssignForm(
                    colleagues=colleagues,
                    initial={"assigned_to": str(req.assigned_to_id or AssignForm.NOBODY)},
                ),
                "refer_form": refer_form,
                "checks": checks,
                "chosen": chosen,
                # Ask the delivery questions only when one of the services is delivered that way.
                "delivery_field_names": {
                    name for name, kind in refer_form.delivery_fields.items() if kind in offered_kinds
                },
                "consent_form": forms.get("consent_form")
                or ConsentForm(initial={"consent_to_share": "yes" if req.consent_to_share else "no"}),
                "close_form": forms.get("close_form") or CloseForm(),
                "reopen_form": ReopenForm(),
            }
        )
    return render(request, "referrals/request_detail.html", context, status=status)


@require_GET
@staff_view("request.view", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_detail(request: HttpRequest, req: Request) -> HttpResponse:
    return _render_request(request, req)


@require_POST
@staff_view("request.triage", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_assign(request: HttpRequest, req: Request) -> HttpResponse:
    form = AssignForm(request.POST, colleagues=services.triage_colleagues(network=req.network_id))
    if form.is_valid():
        try:
            services.request_assign(request=req, assignee=form.assignee(), actor=request.user)
        except ValidationError as exc:
            messages.error(request, _first_message(exc))
        else:
            messages.success(
                request, _("The assignment of %(reference)s is saved.") % {"reference": req.reference}
            )
    else:
        messages.error(request, _("Nothing was changed: choose a colleague."))
    next_url = request.POST.get("next", "")
    if next_url.startswith(reverse("referrals:triage")):
        return redirect(next_url)
    return redirect("referrals:detail", pk=req.pk)


@require_POST
@staff_view("request.triage", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_refer(request: HttpRequest, req: Request) -> HttpResponse:
    form = ReferForm(request.POST, network_id=req.network_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referrals = services.request_refer(
                request=req,
                services=list(data["services"]),
                actor=request.user,
                follow_up_on=data["follow_up_on"],
                handover_contact=data["handover_contact"],
                note=data["note"],
                note_visibility=data["note_visibility"] or "all",
                delivery_data=form.delivery_data(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Referred to: %(services)s.") % {"services": ", ".join(r.service.name for r in referrals)},
            )
            return redirect("referrals:detail", pk=req.pk)
    messages.error(request, _("Nothing was referred: please correct the form below."))
    return _render_request(request, _get_request(request, req.pk), refer_form=form)


@require_POST
@staff_view("request.triage", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_consent(request: HttpRequest, req: Request) -> HttpResponse:
    form = ConsentForm(request.POST)
    if form.is_valid():
        services.request_set_consent(
            request=req, consent_to_share=form.cleaned_data["consent_to_share"] == "yes", actor=request.user
        )
        messages.success(request, _("The consent is recorded."))
    else:
        messages.error(request, _("Nothing was changed: choose whether the resident consents."))
    return redirect("referrals:detail", pk=req.pk)


@require_POST
@staff_view("request.triage", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_close(request: HttpRequest, req: Request) -> HttpResponse:
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.request_close(request=req, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, _first_message(exc))
        else:
            messages.success(request, _("Request %(reference)s is closed.") % {"reference": req.reference})
    else:
        messages.error(request, _("Nothing was changed: say why the request is closed."))
    return redirect("referrals:detail", pk=req.pk)


@require_POST
@staff_view("request.triage", model=Request, related=("resident", "referred_by", "assigned_to", "created_by"))
def request_reopen(request: HttpRequest, req: Request) -> HttpResponse:
    if ReopenForm(request.POST).is_valid():
        try:
            services.request_reopen(request=req, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _first_message(exc))
        else:
            messages.success(
                request, _("Request %(reference)s is open again.") % {"reference": req.reference}
            )
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect("referrals:detail", pk=req.pk)


# --- one referral ----------------------------------------------------------------------------


def _render_referral(request: HttpRequest, referral: Referral, *, status: int = 200, **forms) -> HttpResponse:
    membership = request.membership
    req = referral.request
    shown = selectors.resident_shown(membership=membership, request=req)
    _audit_view(request, shown)
    allowed = services.allowed_transitions(referral=referral, membership=membership)
    visibilities = services.note_visibilities_for(membership=membership, referral=referral)
    may_plan = membership.has("request.triage") or (
        membership.has("referral.update") and membership.organisation_id == referral.to_organisation_id
    )
    delivery = ports.delivery_for(referral.service.kind) if referral.delivery_handle else None
    context = {
        "referral": referral,
        "req": req,
        "shown": shown,
        "delivery_label": delivery.label if delivery else "",
        "events": selectors.referral_events(referral=referral),
        "notes": selectors.notes_for(membership=membership, referral=referral),
        "transition_form": forms.get("transition_form")
        or (TransitionForm(allowed=allowed) if allowed else None),
        "note_form": forms.get("note_form")
        or (NoteForm(visibilities=visibilities) if membership.has("referral.update") else None),
        "follow_up_form": (
            forms.get("follow_up_form") or FollowUpForm(initial={"follow_up_on": referral.follow_up_on})
        )
        if may_plan and not referral.is_final
        else None,
        "is_receiver": membership.organisation_id is not None
        and membership.organisation_id == referral.to_organisation_id,
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@require_GET
@staff_view(
    "request.view",
    model=Referral,
    related=(
        "request__resident",
        "request__referred_by",
        "request__assigned_to",
        "service",
        "to_organisation",
    ),
)
def referral_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    return _render_referral(request, referral)


@require_POST
@staff_view(
    "referral.update",
    model=Referral,
    related=(
        "request__resident",
        "request__referred_by",
        "request__assigned_to",
        "service",
        "to_organisation",
    ),
)
def referral_status(request: HttpRequest, referral: Referral) -> HttpResponse:
    """Change a referral's status (services.referral_transition checks who may and what may)."""
    membership = request.membership
    # All statuses as choices: a refused move gets the service's clear message, not "invalid choice".
    form = TransitionForm(request.POST, allowed=ReferralStatus.values)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.referral_transition(
                referral=referral,
                to_status=data["to_status"],
                actor=request.user,
                reason=data["reason"],
                membership=membership,
                follow_up_on=data["follow_up_on"],
            )
        except ValidationError as exc:
            messages.error(request, _("The status was not changed: %(why)s") % {"why": _first_message(exc)})
        else:
            referral.refresh_from_db(fields=["status"])
            messages.success(
                request, _("The referral is now: %(status)s.") % {"status": referral.get_status_display()}
            )
    else:
        messages.error(request, _("The status was not changed: choose the new status."))
    return redirect("referrals:referral_detail", pk=referral.pk)


@require_POST
@staff_view(
    "referral.update",
    model=Referral,
    related=(
        "request__resident",
        "request__referred_by",
        "request__assigned_to",
        "service",
        "to_organisation",
    ),
)
def referral_note(request: HttpRequest, referral: Referral) -> HttpResponse:
    membership = request.membership
    form = NoteForm(
        request.POST, visibilities=services.note_visibilities_for(membership=membership, referral=referral)
    )
    if form.is_valid():
        try:
            services.referral_note_add(
                referral=referral,
                author=request.user,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                membership=membership,
            )
        except ValidationError as exc:
            messages.error(request, _first_message(exc))
        else:
            messages.success(request, _("The note is added."))
            return redirect(reverse("referrals:referral_detail", kwargs={"pk": referral.pk}) + "#notes")
    messages.error(request, _("The note was not added: please correct the form below."))
    return _render_referral(request, referral, note_form=form)


@require_POST
@staff_view(
    "referral.update",
    model=Referral,
    related=(
        "request__resident",
        "request__referred_by",
        "request__assigned_to",
        "service",
        "to_organisation",
    ),
)
def referral_follow_up(request: HttpRequest, referral: Referral) -> HttpResponse:
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.referral_set_follow_up(
                referral=referral,
                follow_up_on=form.cleaned_data["follow_up_on"],
                actor=request.user,
                membership=request.membership,
            )
        except ValidationError as exc:
            messages.error(request, _first_message(exc))
        else:
            messages.success(request, _("The follow-up date is saved."))
    else:
        messages.error(request, _("Nothing was changed: choose a date."))
    return redirect("referrals:referral_detail", pk=referral.pk)
