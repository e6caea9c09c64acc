"""Social internet tariff pages: the service desk's list, and one resident's applications.

Applications live in the referrals app with the network's default scope (every role sees the
whole network), which is wrong for partner workers. So every look-up here goes through the
resident's visibility first (tariffs.selectors), and the URL carries the resident
as ``pk`` (model=Resident); the application being changed travels as ``?application=<id>``
(then as POST data) and is found only among that resident's applications.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view
from digibank.privacy.registry import RESIDENT
from digibank.residents.models import Resident

from ..models import TARIFF_OFFER_EXAMPLES
from . import selectors, services
from .forms import TARIFF_OFFERS_LIST_ID, TariffApplicationForm, TariffFilterForm


@require_GET
@staff_view("resident.view")
def tariff_list(request: HttpRequest) -> HttpResponse:
    form = TariffFilterForm(request.GET or None)
    filters = form.filters()
    applications = selectors.tariff_application_list(membership=request.membership, **filters)
    page = Paginator(applications, selectors.TARIFF_APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    residents = {application.resident_id: application.resident for application in shown}
    audit_residents_listed(request=request, residents=list(residents.values()))
    template = "tariffs/list.html#results" if request.htmx else "tariffs/list.html"
    context = {
        "form": form,
        "page": page,
        "applications": shown,
        "filtered": bool(filters["outcome"] or filters["follow_up_due"]),
        "today": timezone.localdate(),
        "open_outcomes": selectors.OPEN_TARIFF_OUTCOMES,
    }
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@staff_view("resident.change", model=Resident)
def tariff_resident(request: HttpRequest, resident: Resident) -> HttpResponse:
    """One resident's applications, with the form for a new one or (``?application=``) a change."""
    membership = request.membership
    data = request.POST if request.method == "POST" else None
    application_id = (data or request.GET).get("application", "")
    application = None
    initial = {}
    if application_id:
        application = selectors.tariff_application_get(
            membership=membership, pk=application_id, resident=resident
        )
    else:
        initial["eligibility_basis"] = selectors.eligibility_basis_suggestion(resident=resident)
        referral_id = request.GET.get("referral", "")
        if referral_id.isdigit():
            initial["referral"] = int(referral_id)  # the form's scoped choices validate it
    form = TariffApplicationForm(
        data, instance=application, initial=initial, membership=membership, resident=resident
    )
    if data is not None and form.is_valid():
        try:
            if application is None:
                services.tariff_application_create(
                    resident=resident, actor=request.user, data=form.cleaned_data, source=request.path
                )
                messages.success(request, _("The internet tariff application is recorded."))
            elif services.tariff_application_update(
                application=application, actor=request.user, data=form.cleaned_data, source=request.path
            ):
                messages.success(request, _("The changes are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(reverse("tariffs:resident", kwargs={"pk": resident.pk}) + "#applications")
    # The page shows the resident's name and applications: a view of personal data.
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=resident.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=["first_name", "last_name", "tariff_applications"],
    )
    context = {
        "resident": resident,
        "applications": selectors.tariff_applications_of(membership=membership, resident=resident),
        "application": application,
        "form": form,
        "offers": TARIFF_OFFER_EXAMPLES,
        "offers_list_id": TARIFF_OFFERS_LIST_ID,
    }
    return render(request, "tariffs/resident.html", context)
