"""Pages of the lending desk: waiting list, offers, hand-over, loans, overdue follow-up, settings.

Thin views: reads through selectors (scoped), writes through services. Pages that show a
resident's personal data write an audit entry (names on lists, address on documents).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.devices.lifecycle import DeviceStatus
from digibank.devices.models import Device
from digibank.lib.forms import add_errors
from digibank.lib.pdf import pdf_response
from digibank.networks.access import staff_view
from digibank.privacy.registry import RESIDENT
from digibank.residents import selectors as resident_selectors
from digibank.residents.models import Resident

from . import documents, reminders, selectors, services
from .forms import (
    CallDoneForm,
    CategoryForm,
    ConfirmForm,
    ExtendForm,
    HandoverForm,
    LendingSettingsForm,
    LettersForm,
    LoanFilterForm,
    LostForm,
    OfferDeviceForm,
    ResidentSearchForm,
    ReturnForm,
    WaitingFilterForm,
    WaitingForm,
)
from .home import OFFER_LIST_FIELDS
from .models import Loan, LoanKind, Offer, OfferStatus, PriorityCategory, Reminder, WaitingListEntry

# What a page about one loan shows of the resident (for the audit entry).
LOAN_PAGE_FIELDS = ["first_name", "last_name", "phone", "email", "preferred_channel"]
DOCUMENT_FIELDS = ["first_name", "last_name", "street", "postcode", "city"]
# The hand-over page: who, how to reach them, and whether they may borrow.
HANDOVER_FIELDS = ["first_name", "last_name", "phone", "email", "eligibility"]


def _audit_viewed(request: HttpRequest, resident: Resident, fields: list[str]) -> None:
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=resident.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=fields,
    )


def _may_override(request: HttpRequest) -> bool:
    return request.membership.has(services.OVERRIDE_PERMISSION)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- loans ---------------------------------------------------------------------------------


@require_GET
@staff_view("loan.view")
def loan_list(request: HttpRequest) -> HttpResponse:
    form = LoanFilterForm(request.GET or None)
    show = "active"
    if form.is_valid() and form.cleaned_data["show"]:
        show = form.cleaned_data["show"]
    loans = selectors.loan_list(membership=request.membership, show=show)
    page = Paginator(loans, selectors.LOANS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_residents_listed(request=request, residents=[loan.resident for loan in shown])
    template = "lending/loan_list.html#results" if request.htmx else "lending/loan_list.html"
    context = {
        "form": form,
        "page": page,
        "loans": shown,
        "show": show,
        "filters": selectors.LOAN_FILTERS,
        "today": timezone.localdate(),
    }
    return render(request, template, context)


def _render_loan(request: HttpRequest, loan: Loan, **forms) -> HttpResponse:
    _audit_viewed(request, loan.resident, LOAN_PAGE_FIELDS)
    settings = services.lending_settings_for(loan.network_id)
    context = {
        "loan": loan,
        "today": timezone.localdate(),
        "reminders": selectors.loan_reminders(loan)[:20],
        "extend_form": forms.get("extend_form")
        or ExtendForm(initial={"due_on": _extended_due(loan, settings)}, loan=loan),
        "lost_form": forms.get("lost_form") or LostForm(),
    }
    return render(request, "lending/loan_detail.html", context)


def _extended_due(loan: Loan, settings) -> datetime.date | None:
    return loan.due_on + datetime.timedelta(days=settings.extension_days) if loan.due_on else None


@require_GET
@staff_view("loan.view", model=Loan, related=("resident", "device", "network", "handed_over_by"))
def loan_detail(request: HttpRequest, loan: Loan) -> HttpResponse:
    return _render_loan(request, loan)


@require_GET
@staff_view("loan.view", model=Loan, related=("resident", "device", "network", "handed_over_by"))
def loan_document(request: HttpRequest, loan: Loan) -> HttpResponse:
    """The loan agreement or gift deed (PDF), in the resident's language, to print and sign."""
    _audit_viewed(request, loan.resident, DOCUMENT_FIELDS)
    pdf = documents.loan_document_pdf(loan)
    return pdf_response(pdf, documents.loan_document_filename(loan), inline=True)


@require_POST
@staff_view("loan.manage", model=Loan, related=("resident", "device", "network", "handed_over_by"))
def loan_extend(request: HttpRequest, loan: Loan) -> HttpResponse:
    form = ExtendForm(request.POST, loan=loan)
    if form.is_valid():
        try:
            loan = services.loan_extend(loan=loan, actor=request.user, due_on=form.cleaned_data["due_on"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The loan is extended."))
            return redirect("lending:loan", pk=loan.pk)
    return _render_loan(request, loan, extend_form=form)


@require_http_methods(["GET", "POST"])
@staff_view("loan.manage", model=Loan, related=("resident", "device", "network", "handed_over_by"))
def loan_return(request: HttpRequest, loan: Loan) -> HttpResponse:
    form = ReturnForm(
        request.POST or None,
        loan=loan,
        initial={"returned_on": timezone.localdate(), "condition": "b"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_return(
                loan=loan,
                actor=request.user,
                returned_on=form.cleaned_data["returned_on"],
                condition_in=form.condition_text(),
                deposit_refunded=form.cleaned_data.get("deposit_refunded", False),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Device %(tag)s is taken back. It holds the borrower's data: it now needs a new data "
                    "wipe and quality check before it can be lent again."
                )
                % {"tag": loan.device.asset_tag},
            )
            return redirect("lending:loan", pk=loan.pk)
    _audit_viewed(request, loan.resident, ["first_name", "last_name"])
    return render(request, "lending/loan_return.html", {"loan": loan, "form": form})


@require_POST
@staff_view("loan.manage", model=Loan, related=("resident", "device", "network", "handed_over_by"))
def loan_lost(request: HttpRequest, loan: Loan) -> HttpResponse:
    form = LostForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.loan_mark_lost(loan=loan, actor=request.user, status=data["status"], note=data["note"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The loan and the device are marked as lost or stolen."))
            return redirect("lending:loan", pk=loan.pk)
    return _render_loan(request, loan, lost_form=form)


# --- finding a resident, hand-over, waiting list ------------------------------------------


@require_GET
@staff_view("loan.manage")
def resident_find(request: HttpRequest) -> HttpResponse:
    """Start here: find the resident, then put them on the waiting list or hand a device over."""
    form = ResidentSearchForm(request.GET or None)
    residents = []
    if form.is_valid() and form.cleaned_data["q"].strip():
        residents = list(
            resident_selectors.resident_list(membership=request.membership, query=form.cleaned_data["q"])[:25]
        )
        audit_residents_listed(request=request, residents=residents)
    return render(request, "lending/find.html", {"form": form, "residents": residents})


@require_http_methods(["GET", "POST"])
@staff_view("loan.manage", model=Resident)
def handover(request: HttpRequest, resident: Resident) -> HttpResponse:
    """Lend or give a device to a resident (from their offer, or directly after the eligibility check)."""
    settings = services.lending_settings_for(request.network)
    eligibility = selectors.resident_eligibility(resident, settings)
    offer = selectors.open_offer_for(resident=resident)
    initial = {
        "kind": LoanKind.LOAN,
        "started_on": timezone.localdate(),
        "deposit": documents.euros(settings.deposit_cents),
        "asset_tag": offer.device.asset_tag if offer else "",
        "condition": offer.device.condition if offer and offer.device.condition else "b",
    }
    devices = Device.objects.visible_to(request.membership)
    form = HandoverForm(request.POST or None, initial=initial, devices=devices)
    form.add_override(eligible=eligibility.eligible, may_override=_may_override(request))
    form.fields["asset_tag"].widget.attrs["list"] = "ready-tags"  # suggestions while typing, no JS
    missing_address = not (resident.street and resident.city)
    if missing_address:
        form.add_address(resident)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        device = data["asset_tag"]
        try:
            loan = services.loan_create(
                resident=resident,
                device=device,
                actor=request.user,
                kind=data["kind"],
                started_on=data["started_on"],
                due_on=data.get("due_on"),
                deposit_cents=int(data["deposit"] * 100),
                condition_out=form.condition_text(),
                override_reason=data.get("override_reason", ""),
                may_override=_may_override(request),
                address=form.address(),
                source=request,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "device" in exc.error_dict:
                exc = ValidationError({"asset_tag": exc.error_dict["device"]})
            add_errors(form, exc)
        else:
            if loan.is_gift:
                message = _("Gift %(number)s is registered. Print the deed and have it signed.")
            else:
                message = _("Loan %(number)s is registered. Print the agreement and have it signed.")
            messages.success(request, message % {"number": loan.number})
            return redirect("lending:loan", pk=loan.pk)
    _audit_viewed(request, resident, HANDOVER_FIELDS)
    ready = (
        devices.filter(status=DeviceStatus.READY)
        .order_by("kind", "asset_tag")
        .values_list("asset_tag", flat=True)[:200]
    )
    context = {
        "resident": resident,
        "form": form,
        "eligibility": eligibility,
        "offer": offer,
        "settings": settings,
        "ready_tags": list(ready),
        "missing_address": missing_address,
    }
    return render(request, "lending/handover.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("loan.manage", model=Resident)
def waiting_add(request: HttpRequest, resident: Resident) -> HttpResponse:
    settings = services.lending_settings_for(request.network)
    eligibility = selectors.resident_eligibility(resident, settings)
    categories = selectors.categories_of(network_id=request.network.pk)
    form = WaitingForm(request.POST or None, categories=categories)
    form.add_override(eligible=eligibility.eligible, may_override=_may_override(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.waiting_add(
                resident=resident,
                category=data["category"],
                device_kind=data["device_kind"],
                note=data["note"],
                actor=request.user,
                override_reason=data.get("override_reason", ""),
                may_override=_may_override(request),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            position = selectors.waiting_position(entry)
            messages.success(
                request,
                _("%(name)s is on the waiting list, in place %(position)s.")
                % {"name": resident.full_name, "position": position},
            )
            return redirect("lending:waiting")
    _audit_viewed(request, resident, ["first_name", "last_name", "eligibility"])
    context = {
        "resident": resident,
        "form": form,
        "eligibility": eligibility,
        "entries": list(selectors.open_entries_of(resident)),
        "no_categories": not categories.exists(),
    }
    return render(request, "lending/waiting_add.html", context)


@require_GET
@staff_view("loan.view")
def waiting_list(request: HttpRequest) -> HttpResponse:
    form = WaitingFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    entries = selectors.waiting_list(membership=request.membership, device_kind=kind)
    page = Paginator(entries, selectors.WAITING_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_residents_listed(request=request, residents=[entry.resident for entry in shown])
    template = "lending/waiting_list.html#results" if request.htmx else "lending/waiting_list.html"
    return render(request, template, {"form": form, "page": page, "entries": shown, "confirm": ConfirmForm()})


@require_POST
@staff_view("loan.manage", model=WaitingListEntry, related=("resident",))
def waiting_cancel(request: HttpRequest, entry: WaitingListEntry) -> HttpResponse:
    if ConfirmForm(request.POST).is_valid():
        try:
            services.waiting_cancel(entry=entry, actor=request.user)
        except ValidationError as exc:
            _fail(request, exc)
        else:
            name = entry.resident.full_name
            messages.success(request, _("%(name)s is off the waiting list.") % {"name": name})
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect("lending:waiting")


# --- offers --------------------------------------------------------------------------------


@require_GET
@staff_view("loan.view")
def offer_list(request: HttpRequest) -> HttpResponse:
    offers = list(selectors.offer_list(membership=request.membership)[:200])
    closed = list(
        selectors.offer_list(membership=request.membership, status="").exclude(status=OfferStatus.OPEN)[:20]
    )
    audit_residents_listed(
        request=request, residents=[o.entry.resident for o in offers], fields=OFFER_LIST_FIELDS
    )
    audit_residents_listed(request=request, residents=[o.entry.resident for o in closed])
    ready = Device.objects.in_network(request.network).filter(status=DeviceStatus.READY).count()
    context = {
        "offers": offers,
        "closed": closed,
        "ready_count": ready,
        "offer_form": OfferDeviceForm(devices=Device.objects.visible_to(request.membership)),
        "confirm": ConfirmForm(),
        "now": timezone.now(),
    }
    return render(request, "lending/offers.html", context)


@require_POST
@staff_view("loan.manage")
def offer_device(request: HttpRequest) -> HttpResponse:
    """Offer one ready device (by asset tag) to the next resident waiting for its kind."""
    form = OfferDeviceForm(request.POST, devices=Device.objects.visible_to(request.membership))
    if not form.is_valid():
        for error in form.errors.get("asset_tag", [_("Enter the asset tag of a ready device.")]):
            messages.error(request, error)
        return redirect("lending:offers")
    device = form.cleaned_data["asset_tag"]
    try:
        offer = services.offer_make(device=device, actor=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        if offer is None:
            messages.info(request, _("Nobody is waiting for this kind of device; it stays ready."))
        else:
            messages.success(
                request,
                _("Device %(tag)s is offered to %(name)s. Let them know.")
                % {"tag": device.asset_tag, "name": offer.entry.resident.full_name},
            )
    return redirect("lending:offers")


@require_POST
@staff_view("loan.manage")
def offers_fill(request: HttpRequest) -> HttpResponse:
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Nothing was changed."))
        return redirect("lending:offers")
    made = services.offers_fill(network=request.network, actor=request.user)
    if made:
        message = _("%(count)s devices offered. Let the residents know.") % {"count": len(made)}
        messages.success(request, message)
    else:
        messages.info(request, _("No ready device matches someone on the waiting list."))
    return redirect("lending:offers")


@require_POST
@staff_view("loan.manage", model=Offer, related=("device", "entry__resident"))
def offer_decline(request: HttpRequest, offer: Offer) -> HttpResponse:
    if not ConfirmForm(request.POST).is_valid():
        messages.error(request, _("Nothing was changed."))
        return redirect("lending:offers")
    try:
        new_offer = services.offer_decline(offer=offer, actor=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        if new_offer is None:
            messages.success(request, _("Offer declined. Nobody else is waiting: the device is ready again."))
        else:
            messages.success(
                request,
                _("Offer declined. The device is now offered to %(name)s.")
                % {"name": new_offer.entry.resident.full_name},
            )
    return redirect("lending:offers")


# --- overdue follow-up ---------------------------------------------------------------------


@require_GET
@staff_view("loan.view")
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    loans = list(selectors.loans_overdue(network=request.network, today=today)[:500])
    calls = list(selectors.call_list(network=request.network)[:200])
    failed = list(selectors.reminders_failed(network=request.network)[:50])
    letters_today = selectors.letters_of_day(network=request.network, day=today).count()
    residents = [loan.resident for loan in loans] + [r.loan.resident for r in calls + failed]
    audit_residents_listed(request=request, residents=list({r.pk: r for r in residents}.values()))
    context = {
        "loans": loans,
        "calls": calls,
        "failed": failed,
        "letters_today": letters_today,
        "today": today,
        "letters_form": LettersForm(initial={"day": today}),
    }
    return render(request, "lending/overdue.html", context)


@require_POST
@staff_view("loan.manage")
def call_done(request: HttpRequest) -> HttpResponse:
    form = CallDoneForm(request.POST)
    reminder = None
    if form.is_valid():
        visible = Reminder.objects.visible_to(request.membership)
        reminder = visible.filter(pk=form.cleaned_data["reminder"]).first()
    if reminder is None:
        messages.error(request, _("Nothing was changed."))
    else:
        reminders.reminder_mark_called(reminder=reminder, actor=request.user)
        messages.success(request, _("Marked as called."))
    return redirect("lending:overdue")


@require_GET
@staff_view("loan.view")
def letters(request: HttpRequest) -> HttpResponse:
    """Today's (or another day's) reminder letters: one PDF, a page per letter, to print and post."""
    day = LettersForm(request.GET or None).day_or_today()
    pdf, sent = documents.letters_pdf(network=request.network, day=day)
    if pdf is None:
        messages.info(request, _("There are no letters for this day."))
        return redirect("lending:overdue")
    for reminder in sent:
        _audit_viewed(request, reminder.loan.resident, DOCUMENT_FIELDS)
    return pdf_response(pdf, f"letters-{day.isoformat()}.pdf", inline=True)


# --- settings ------------------------------------------------------------------------------


def _render_settings(request: HttpRequest, form=None, category_form=None, status=200) -> HttpResponse:
    settings = services.lending_settings_for(request.network)
    categories = list(selectors.categories_of(network_id=request.network.pk))
    context = {
        "form": form or LendingSettingsForm(initial=LendingSettingsForm.initial_from(settings)),
        "category_form": category_form or CategoryForm(prefix="new"),
        "categories": [
            (c, CategoryForm(prefix=f"c{c.pk}", initial={"name": c.name, "rank": c.rank})) for c in categories
        ],
    }
    return render(request, "lending/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_view("lending.settings")
def settings_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LendingSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.lending_settings_update(
                    network=request.network, actor=request.user, data=form.as_service_data()
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The lending rules are saved."))
                return redirect("lending:settings")
        return _render_settings(request, form=form)
    return _render_settings(request)


@require_POST
@staff_view("lending.settings")
def category_add(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.category_add(
                network=request.network,
                name=form.cleaned_data["name"],
                rank=form.cleaned_data["rank"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The category is added."))
            return redirect("lending:settings")
    return _render_settings(request, category_form=form)


@require_POST
@staff_view("lending.settings", model=PriorityCategory)
def category_edit(request: HttpRequest, category: PriorityCategory) -> HttpResponse:
    form = CategoryForm(request.POST, prefix=f"c{category.pk}")
    if form.is_valid():
        try:
            data = form.cleaned_data
            services.category_update(
                category=category, name=data["name"], rank=data["rank"], actor=request.user
            )
        except ValidationError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The category is saved."))
    else:
        messages.error(request, _("Give the category a name and a rank from 0 to 999."))
    return redirect("lending:settings")
