"""Resident pages: list, register, detail, edit, eligibility proof, subject-access export, erasure.

Thin views: reads through selectors (already scoped), writes through services. Every page
that shows a resident's personal data writes an audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.audit.models import AuditAction
from digibank.audit.services import audit_record, audit_residents_listed
from digibank.audit.views import subject_trail
from digibank.lib.forms import add_errors
from digibank.networks.access import staff_view
from digibank.plugins.panels import panels_for
from digibank.privacy.registry import RESIDENT

from . import selectors, services
from .forms import DuplicateConfirmForm, EligibilityForm, EraseForm, ResidentFilterForm, ResidentForm
from .models import EligibilityProof, Resident, ResidentAccess

TIMELINE_ON_PAGE = 100


@require_GET
@staff_view("resident.view")
def resident_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = ResidentFilterForm(request.GET or None, network_id=membership.network_id)
    query, district = "", None
    if form.is_valid():
        query, district = form.cleaned_data["q"], form.cleaned_data["district"]
    residents = selectors.resident_list(membership=membership, query=query, district=district)
    page = Paginator(residents, selectors.RESIDENTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    audit_residents_listed(request=request, residents=shown)
    template = "residents/list.html#results" if request.htmx else "residents/list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "residents": shown, "filtered": bool(query or district)},
    )


@require_http_methods(["GET", "POST"])
@staff_view("resident.create")
def resident_create(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    data = request.POST if request.method == "POST" else None
    form = ResidentForm(data, network_id=membership.network_id)
    form.enable_duplicate_check(reverse("residents:duplicates"))
    confirm_form = DuplicateConfirmForm(data)
    duplicates = selectors.DuplicateCheck()
    if data is not None:
        if form.is_valid() and confirm_form.is_valid():
            try:
                resident = services.resident_create(
                    membership=membership,
                    actor=request.user,
                    data=form.cleaned_data,
                    source=request.path,
                    allow_duplicate=confirm_form.cleaned_data["register_anyway"],
                )
            except services.LikelyDuplicate as exc:
                duplicates = exc.check
                confirm_form.add_error(
                    "register_anyway",
                    _("Check the likely duplicate above. Tick this box only if it is another person."),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The resident is registered."))
                return redirect("residents:detail", pk=resident.pk)
        else:
            # The check also runs when other fields are still wrong, so the warning comes early.
            duplicates = _duplicates_from(request, form.cleaned_data)
        audit_residents_listed(request=request, residents=duplicates.visible)
    return render(
        request,
        "residents/form.html",
        {"form": form, "confirm_form": confirm_form, "duplicates": duplicates, "resident": None},
    )


def _duplicates_from(request: HttpRequest, values) -> selectors.DuplicateCheck:
    try:
        birth_year = int(values.get("birth_year") or 0)
    except (TypeError, ValueError):
        birth_year = 0
    if not 1000 <= birth_year <= 9999:  # junk from the live check must not reach the database
        birth_year = None
    return selectors.resident_likely_duplicates(
        membership=request.membership,
        first_name=str(values.get("first_name") or ""),
        last_name=str(values.get("last_name") or ""),
        birth_year=birth_year,
        postcode=str(values.get("postcode") or "")[:10],
    )


@require_GET
@staff_view("resident.create")
def resident_duplicates(request: HttpRequest) -> HttpResponse:
    """The duplicate warning as a fragment, for the live check on the registration form (htmx)."""
    duplicates = _duplicates_from(request, request.GET)
    audit_residents_listed(request=request, residents=duplicates.visible)
    return render(
        request,
        "residents/form.html#duplicates",
        {"duplicates": duplicates, "confirm_form": DuplicateConfirmForm()},
    )


def _render_detail(
    request: HttpRequest,
    resident: Resident,
    *,
    eligibility_form: EligibilityForm | None = None,
    erase_form: EraseForm | None = None,
) -> HttpResponse:
    membership = request.membership
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=resident.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=selectors.DETAIL_FIELDS,
    )
    accesses = []
    if membership.organisation_id is None:  # partners do not see which other partners are involved
        accesses = (
            ResidentAccess.objects.in_network(resident.network_id)
            .filter(resident=resident)
            .select_related("organisation")
            .order_by("created_at", "pk")
        )
    context = {
        "resident": resident,
        "eligibility": selectors.resident_eligibility(resident=resident),
        "timeline": selectors.resident_timeline(resident=resident)[:TIMELINE_ON_PAGE],
        "accesses": accesses,
        "eligibility_form": eligibility_form or EligibilityForm(),
        "erase_form": erase_form or EraseForm(),
        "panels": panels_for(page="resident", request=request, obj=resident),
    }
    return render(request, "residents/detail.html", context)


@require_GET
@staff_view("resident.view", model=Resident)
def resident_detail(request: HttpRequest, resident: Resident) -> HttpResponse:
    return _render_detail(request, resident)


@require_http_methods(["GET", "POST"])
@staff_view("resident.change", model=Resident)
def resident_edit(request: HttpRequest, resident: Resident) -> HttpResponse:
    form = ResidentForm(request.POST or None, instance=resident, network_id=resident.network_id)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.resident_update(
                resident=resident, actor=request.user, data=form.cleaned_data, source=request.path
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("The changes are saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("residents:detail", pk=resident.pk)
    # The form shows the stored data, so this is a view of personal data too.
    audit_record(
        request_or_source=request,
        actor=request.user,
        network_id=resident.network_id,
        action=AuditAction.VIEW,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        fields=services.RESIDENT_FIELDS,
    )
    return render(request, "residents/form.html", {"form": form, "resident": resident})


@require_POST
@staff_view("resident.change", model=Resident)
def eligibility_add(request: HttpRequest, resident: Resident) -> HttpResponse:
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            services.eligibility_add(
                resident=resident, actor=request.user, data=form.cleaned_data, source=request.path
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The proof is recorded."))
            return redirect(reverse("residents:detail", kwargs={"pk": resident.pk}) + "#eligibility")
    messages.error(request, _("The proof was not recorded: please correct the form below."))
    return _render_detail(request, resident, eligibility_form=form)


@require_POST
@staff_view("resident.change", model=Resident)
def eligibility_remove(request: HttpRequest, resident: Resident) -> HttpResponse:
    proof = None
    proof_id = request.POST.get("proof", "")
    if proof_id.isdigit():
        proof = (
            EligibilityProof.objects.visible_to(request.membership)
            .filter(resident=resident, pk=int(proof_id))
            .select_related("resident")
            .first()
        )
    if proof is None:
        messages.error(request, _("That proof was not found. Nothing was removed."))
    else:
        services.eligibility_remove(proof=proof, actor=request.user, source=request.path)
        messages.success(request, _("The proof is removed."))
    return redirect(reverse("residents:detail", kwargs={"pk": resident.pk}) + "#eligibility")


@require_GET
@staff_view("resident.export", model=Resident)
def resident_export_json(request: HttpRequest, resident: Resident) -> HttpResponse:
    data = services.resident_export(resident=resident, actor=request.user, source=request.path)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    # The file name carries the number only: download folders are not private.
    response["Content-Disposition"] = f'attachment; filename="resident-{resident.pk}.json"'
    return response


@require_GET
@staff_view("resident.export", model=Resident)
def resident_export_pdf(request: HttpRequest, resident: Resident) -> HttpResponse:
    from weasyprint import HTML  # noqa: PLC0415 -- heavy library, loaded when a PDF is made

    data = services.resident_export(resident=resident, actor=request.user, source=request.path)
    html = render_to_string(
        "residents/export.html", {"data": data, "tables": selectors.export_tables(data["sections"])}
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="resident-{resident.pk}.pdf"'
    return response


@require_POST
@staff_view("resident.erase", model=Resident)
def resident_erase(request: HttpRequest, resident: Resident) -> HttpResponse:
    if resident.is_erased:
        messages.info(request, _("This resident was already erased."))
        return redirect("residents:detail", pk=resident.pk)
    form = EraseForm(request.POST)
    if form.is_valid():
        services.resident_erase(resident=resident, actor=request.user, source=request.path)
        messages.success(request, _("The resident's personal data is erased. The counts are kept."))
        return redirect("residents:detail", pk=resident.pk)
    messages.error(request, _("Nothing was erased: confirm below."))
    return _render_detail(request, resident, erase_form=form)


@require_GET
@staff_view("audit.view", model=Resident)
def resident_audit(request: HttpRequest, resident: Resident) -> HttpResponse:
    """The resident's audit trail (rendered by the audit app; erased residents keep theirs)."""
    return subject_trail(
        request,
        subject_kind=RESIDENT,
        subject_id=resident.pk,
        title=resident.full_name,
        back_url=reverse("residents:detail", kwargs={"pk": resident.pk}),
    )
