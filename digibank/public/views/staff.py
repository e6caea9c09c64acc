"""The team's side of the public site: the texts (public.manage) and the inbox of volunteer
applications and donation offers (public.inbox)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record
from digibank.lib.forms import add_errors
from digibank.networks.access import require, staff_view
from digibank.privacy.registry import APPLICANT

from .. import selectors, services
from ..forms import (
    InboxFilterForm,
    PublicTextForm,
    ReceiveForm,
    application_status_form,
    offer_status_form,
)
from ..models import ApplicationStatus, DonationOffer, OfferStatus, TextKey, VolunteerApplication

INBOX_PAGE = 100


@require_GET
@staff_view("public.manage")
def texts(request: HttpRequest) -> HttpResponse:
    network = request.network
    table = selectors.text_table(network=network)
    rows = [
        {
            "key": key,
            "cells": [
                {"language": code, "name": name, "text": table.get((key.value, code))}
                for code, name in settings.LANGUAGES
            ],
        }
        for key in TextKey
    ]
    return render(request, "public/staff/texts.html", {"rows": rows, "network": network})


@require_http_methods(["GET", "POST"])
@staff_view("public.manage")
def text_edit(request: HttpRequest) -> HttpResponse:
    """One text in one language (``?key=welcome&language=nl``); anything else goes back to the list."""
    languages = dict(settings.LANGUAGES)
    key, language = request.GET.get("key", ""), request.GET.get("language", "")
    if key not in TextKey.values or language not in languages:
        return redirect("public:texts")
    network = request.network
    current = selectors.text_table(network=network).get((key, language))
    form = PublicTextForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.public_text_save(
                network=network,
                key=key,
                language=language,
                text=form.cleaned_data["text"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The text is saved."))
            return redirect("public:texts")
    default = selectors.DEFAULT_TEXTS[TextKey(key)]
    context = {
        "form": form,
        "key": TextKey(key),
        "language_name": languages[language],
        "language": language,
        "default": default,
    }
    return render(request, "public/staff/text_edit.html", context)


@require_GET
@staff_view("public.inbox")
def inbox(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    show = "donations" if request.GET.get("show") == "donations" else "volunteers"
    statuses = OfferStatus if show == "donations" else ApplicationStatus
    form = InboxFilterForm(request.GET or None, statuses=statuses)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    if show == "donations":
        items = list(selectors.offer_list(membership=membership, status=status)[:INBOX_PAGE])
    else:
        items = list(selectors.application_list(membership=membership, status=status)[:INBOX_PAGE])
    context = {
        "show": show,
        "form": form,
        "items": items,
        "counts": selectors.inbox_counts(membership=membership),
        "districts": selectors.districts_by_id(membership.network_id) if show == "volunteers" else {},
    }
    return render(request, "public/staff/inbox.html", context)


# What the application page shows of the applicant (VolunteerApplication's fields).
APPLICATION_FIELDS = ["name", "email", "phone", "languages", "district_ids", "availability", "motivation"]


@require_http_methods(["GET", "POST"])
@staff_view("public.inbox", model=VolunteerApplication)
def application(request: HttpRequest, item: VolunteerApplication) -> HttpResponse:
    form = application_status_form(request.POST or None, application=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_set_status(
                application=item,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The application is updated."))
            return redirect("public:application", pk=item.pk)
    # A volunteer applicant is not a resident, but who looked at their application is recorded too.
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=item.network_id,
        action=AuditAction.VIEW,
        subject_kind=APPLICANT,
        subject_id=item.pk,
        fields=APPLICATION_FIELDS,
    )
    districts = selectors.districts_by_id(item.network_id)
    context = {
        "item": item,
        "form": form,
        "districts": [districts[i].name for i in item.district_ids if i in districts],
        "languages": [str(selectors.LANGUAGE_NAMES.get(code, code)) for code in item.languages],
    }
    return render(request, "public/staff/application.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("public.inbox", model=DonationOffer)
def offer(request: HttpRequest, item: DonationOffer) -> HttpResponse:
    form = offer_status_form(request.POST or None, offer=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_set_status(
                offer=item,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The offer is updated."))
            return redirect("public:offer", pk=item.pk)
    return render(request, "public/staff/offer.html", _offer_context(request, item, form))


def _offer_context(request, item, form, receive_form=None) -> dict:
    can_receive = request.membership.has("device.manage") and item.status != OfferStatus.RECEIVED
    if receive_form is None and can_receive:
        receive_form = ReceiveForm(membership=request.membership, offer=item, prefix="receive")
    return {"item": item, "form": form, "receive_form": receive_form if can_receive else None}


@require_POST
@staff_view("public.inbox", model=DonationOffer)
def offer_receive(request: HttpRequest, item: DonationOffer) -> HttpResponse:
    """The offered devices came in: a donor and a batch (donations capability; device.manage)."""
    require(request.membership, "device.manage")
    form = ReceiveForm(request.POST, membership=request.membership, offer=item, prefix="receive")
    if form.is_valid():
        try:
            item = services.offer_receive(
                offer=item,
                actor=request.user,
                received_on=form.cleaned_data["received_on"],
                expected_count=form.cleaned_data.get("expected_count"),
                donor=form.cleaned_data.get("donor"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Registered as batch %(reference)s of %(donor)s.")
                % {"reference": item.batch.reference, "donor": item.donor.name},
            )
            return redirect("public:offer", pk=item.pk)
    status_form = offer_status_form(offer=item)
    context = _offer_context(request, item, status_form, receive_form=form)
    return render(request, "public/staff/offer.html", context, status=200)
