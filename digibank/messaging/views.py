"""The Outbox page for coordinators: every message with its status, and the letters to print."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from digibank.lib.pdf import pdf_response
from digibank.networks.access import staff_view

from . import selectors, services
from .forms import OutboxFilterForm

PERMISSION = "network.manage"


@require_GET
@staff_view(PERMISSION)
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    rows = selectors.outbox(membership=request.membership, status=status)
    page = Paginator(rows, selectors.MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    waiting = selectors.letters_to_print(network=request.network)
    context = {
        "form": form,
        "page": page,
        "messages_page": page.object_list,
        "status": status,
        "letters": waiting.count(),
        "last_letter": waiting.order_by("-pk").values_list("pk", flat=True).first(),
    }
    return render(request, "messaging/outbox.html", context)


@require_GET
@staff_view(PERMISSION)
def letters(request: HttpRequest) -> HttpResponse:
    """The letters waiting to be printed: one PDF, a page per letter."""
    waiting = list(selectors.letters_to_print(network=request.network))
    pdf = services.letters_pdf(waiting, network=request.network)
    if pdf is None:
        messages.info(request, _("There are no letters to print."))
        return redirect("messaging:outbox")
    return pdf_response(pdf, "letters.pdf")


@require_POST
@staff_view(PERMISSION)
def letters_printed(request: HttpRequest) -> HttpResponse:
    # An explicit confirmation, so a stray POST changes nothing. Only the letters there were when
    # the PDF was made are marked: ``upto`` is the highest id in it.
    upto = request.POST.get("upto", "")
    if request.POST.get("confirm") == "1" and upto.isdigit():
        waiting = selectors.letters_to_print(network=request.network).filter(pk__lte=int(upto))
        count = services.letters_mark_printed(messages=list(waiting))
        messages.success(request, _("%(count)s letters marked as printed.") % {"count": count})
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect("messaging:outbox")
