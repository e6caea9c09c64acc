from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from digibank.networks.access import staff_view

from .models import AuditEntry


@staff_view("audit.view")
def audit_list(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.visible_to(request.membership).select_related("actor", "resident")[:100]
    return render(request, "audit/list.html", {"entries": entries})
