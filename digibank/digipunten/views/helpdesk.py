"""The ten-second registration of help contacts, built for a phone at a busy help desk.

Open the page -> tap a theme (a submit button of a GET form: no write yet) -> tap "solved"
(a submit button of the POST form, which carries every default): two taps. Minutes,
language, place and a resident are optional under "More". "Referred" opens the referral
part on the same screen (needs, and a resident found or newly entered) for roles that may
register requests; others record that they sent the person on.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.services import audit_residents_listed
from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view
from digibank.residents import selectors as resident_selectors
from digibank.residents.models import Resident
from digibank.residents.services import LikelyDuplicate

from .. import hours, selectors, services
from ..forms import HelpContactForm, QuickResidentForm, ReferralForm
from ..models import HELP_LANGUAGE_CODES, HELP_LANGUAGES, Digipunt, HelpContact, Outcome

SEARCH_RESULTS = 8


def _defaults(membership) -> selectors.HelperDefaults:
    language = translation.get_language() or "nl"
    language = language.split("-")[0]
    return selectors.helper_defaults(
        membership=membership, default_language=language if language in HELP_LANGUAGE_CODES else "nl"
    )


def _values(params, defaults: selectors.HelperDefaults, themes: dict, digipunten: dict) -> dict:
    """The current choices: what the request carries when it is valid, else the helper's defaults."""
    minutes = params.get("minutes_other") or params.get("minutes", "")
    language = params.get("language", "")
    digipunt = digipunten.get(params.get("digipunt", ""))
    return {
        "theme": themes.get(params.get("theme", "")),
        "minutes": int(minutes)
        if minutes.isdigit() and 1 <= int(minutes) <= services.MAX_MINUTES
        else defaults.minutes,
        "language": language if language in HELP_LANGUAGE_CODES else defaults.language,
        "digipunt": digipunt or defaults.digipunt,
    }


def _resident_search(request: HttpRequest, query: str) -> list[Resident]:
    membership = request.membership
    if not query.strip() or not membership.has("resident.view"):
        return []
    found = list(resident_selectors.resident_list(membership=membership, query=query)[:SEARCH_RESULTS])
    audit_residents_listed(request=request, residents=found)
    return found


def _chosen_resident(membership, value) -> Resident | None:
    if not value or not str(value).isdigit() or not membership.has("resident.view"):
        return None
    return Resident.objects.visible_to(membership).not_erased().filter(pk=int(value)).first()


def _context(request: HttpRequest, *, params, step: str | None = None, **extra) -> dict:
    membership = request.membership
    services.themes_ensure(network=membership.network_id)
    themes = list(selectors.themes_active(network=membership.network_id))
    digipunten = list(selectors.digipunt_list(membership=membership))
    defaults = _defaults(membership)
    values = _values(params, defaults, {str(t.pk): t for t in themes}, {str(d.pk): d for d in digipunten})
    if step is None:
        step = "theme" if values["theme"] is None else "outcome"
        if (
            step == "outcome"
            and params.get("outcome") == Outcome.REFERRED
            and membership.has("request.create")
        ):
            step = "referral"
    query = params.get("q", "") if request.method == "GET" else ""
    start_of_today = hours.to_instant(timezone.localdate(), datetime.time(0))
    recent = list(selectors.recent_contacts(membership=membership, since=start_of_today)[:20])
    undo_until = timezone.now() - datetime.timedelta(minutes=services.UNDO_MINUTES)
    digipunt = values["digipunt"]
    context = {
        "step": step,
        "themes": themes,
        "digipunten": digipunten,
        "values": values,
        "minute_choices": selectors.MINUTE_CHOICES,
        "languages": HelpContactForm.base_fields["language"].choices,
        "outcomes": Outcome,
        "query": query,
        "results": _resident_search(request, query),
        "resident": _chosen_resident(membership, params.get("resident")),
        "can_see_residents": membership.has("resident.view"),
        "can_refer": membership.has("request.create"),
        "can_create_resident": membership.has("resident.create"),
        "recent": recent,
        "undoable": recent[0]
        if recent and recent[0].created_at >= undo_until and recent[0].request_id is None
        else None,
        "visitors_today": selectors.tally_today(digipunt) if digipunt else 0,
    }
    context["language_label"] = dict(HELP_LANGUAGES).get(values["language"], values["language"])
    context.update(extra)
    context.setdefault("referral_form", ReferralForm())
    context.setdefault("new_form", QuickResidentForm(network_id=membership.network_id))
    return context


def _render(request: HttpRequest, context: dict) -> HttpResponse:
    target = request.headers.get("HX-Target", "") if request.htmx else ""
    if target == "resident-results":
        template = "digipunten/_resident_search.html#resident_results"
    elif target == "help-step":
        template = "digipunten/help.html#step"
    else:
        template = "digipunten/help.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view("helpcontact.register")
def register(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _render(request, _context(request, params=request.GET))
    membership = request.membership
    form = HelpContactForm(request.POST, membership=membership)
    outcome = request.POST.get("outcome")
    with_referral = request.POST.get("with_referral") == "1"
    if outcome == Outcome.REFERRED and membership.has("request.create") and not with_referral:
        # "Referred" tapped: the referral part, on the same screen, with everything carried over.
        return _render(request, _context(request, params=request.POST, step="referral"))
    if with_referral:
        return _register_referral(request, form)
    if not form.is_valid():
        step = "outcome" if "theme" not in form.errors else "theme"
        return _render(request, _context(request, params=request.POST, step=step, form=form))
    data = form.cleaned_data
    try:
        contact = services.helpcontact_register(
            membership=membership,
            actor=request.user,
            digipunt=data["digipunt"],
            theme=data["theme"],
            outcome=data["outcome"],
            minutes=data["minutes"],
            language=data["language"],
            resident=data.get("resident"),
            source=request.path,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return _render(request, _context(request, params=request.POST, step="outcome", form=form))
    messages.success(
        request,
        _("Registered: %(theme)s, %(minutes)s min, %(outcome)s.")
        % {
            "theme": contact.theme.label,
            "minutes": contact.minutes,
            "outcome": contact.get_outcome_display(),
        },
    )
    return redirect(_back(contact))


def _back(contact: HelpContact) -> str:
    """Back to the theme buttons, keeping the place and language for the next one."""
    return f"{reverse('digipunten:help')}?digipunt={contact.digipunt_id}&language={contact.language}"


def _register_referral(request: HttpRequest, form: HelpContactForm) -> HttpResponse:
    membership = request.membership
    referral_form = ReferralForm(request.POST)
    resident = _chosen_resident(membership, request.POST.get("resident"))
    new_form = QuickResidentForm(request.POST, network_id=membership.network_id)
    valid = form.is_valid() & referral_form.is_valid()
    resident_data = None
    if resident is None:
        if not new_form.has_input():
            referral_form.add_error(None, _("Choose a resident, or enter the new resident's details."))
            valid = False
        elif not membership.has("resident.create"):
            referral_form.add_error(None, _("Your role cannot register a new resident."))
            valid = False
        elif new_form.is_valid():
            resident_data = new_form.cleaned_data
        else:
            valid = False
    extra = {"form": form, "referral_form": referral_form, "new_form": new_form}
    if not valid:
        return _render(request, _context(request, params=request.POST, step="referral", **extra))
    data = form.cleaned_data
    referral = {
        "needs": referral_form.cleaned_data["needs"],
        "description": referral_form.cleaned_data["description"],
        "consent_to_share": referral_form.cleaned_data["consent_to_share"],
        "resident": resident,
        "resident_data": resident_data,
        "allow_duplicate": request.POST.get("allow_duplicate") == "1",
    }
    try:
        contact = services.helpcontact_register(
            membership=membership,
            actor=request.user,
            digipunt=data["digipunt"],
            theme=data["theme"],
            outcome=Outcome.REFERRED,
            minutes=data["minutes"],
            language=data["language"],
            resident=resident,
            referral=referral,
            source=request.path,
        )
    except LikelyDuplicate as exc:
        extra["duplicates"] = exc.check
        return _render(request, _context(request, params=request.POST, step="referral", **extra))
    except ValidationError as exc:
        target = (
            new_form
            if hasattr(exc, "error_dict") and set(exc.error_dict) & set(new_form.fields)
            else referral_form
        )
        add_errors(target, exc)
        return _render(request, _context(request, params=request.POST, step="referral", **extra))
    messages.success(
        request,
        _("Registered: %(theme)s, referred. Request %(reference)s is with the service desk.")
        % {"theme": contact.theme.label, "reference": contact.request.reference},
    )
    return redirect(_back(contact))


@require_POST
@staff_view("helpcontact.register", model=HelpContact)
def undo(request: HttpRequest, contact: HelpContact) -> HttpResponse:
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Nothing was changed."))
        return redirect("digipunten:help")
    try:
        services.helpcontact_undo(contact=contact, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The registration is taken back."))
    return redirect("digipunten:help")


@require_GET
@staff_view("helpcontact.register")
def contact_list(request: HttpRequest) -> HttpResponse:
    """The latest help contacts (a volunteer: their own). Anonymous unless linked."""
    contacts = list(selectors.help_contact_list(membership=request.membership)[:100])
    return render(request, "digipunten/contacts.html", {"contacts": contacts})


@require_POST
@staff_view("helpcontact.register", model=Digipunt)
def visitor_add(request: HttpRequest, digipunt: Digipunt) -> HttpResponse:
    """+1 visitor at the public computers today (the form says add=1: an empty POST changes nothing)."""
    if request.POST.get("add") != "1":
        messages.error(request, _("Nothing was changed."))
        count = selectors.tally_today(digipunt)
    else:
        count = services.visitor_tally_add(digipunt=digipunt)
    if request.htmx:
        return render(
            request,
            "digipunten/_tally.html",
            {"digipunt": digipunt, "visitors_today": count, "next": request.POST.get("next", "")},
        )
    if request.POST.get("add") == "1":
        messages.success(
            request, _("Visitors today at %(name)s: %(count)s") % {"name": digipunt.name, "count": count}
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("digipunten:detail", pk=digipunt.pk)
