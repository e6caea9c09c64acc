from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from digibank.networks.access import staff_view

from .models import Organisation


@staff_view("organisation.view")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.visible_to(request.membership)
    return render(request, "organisations/list.html", {"organisations": organisations})
