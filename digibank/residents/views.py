from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from digibank.networks.access import get_visible_or_404, staff_view

from .models import Resident


@staff_view("resident.view")
def resident_list(request: HttpRequest) -> HttpResponse:
    residents = Resident.objects.visible_to(request.membership).not_erased()[:50]
    return render(request, "residents/list.html", {"residents": residents})


@staff_view("resident.create")
def resident_create(request: HttpRequest) -> HttpResponse:
    return render(request, "residents/list.html", {"residents": []})


@staff_view("resident.view", model=Resident)
def resident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resident = get_visible_or_404(Resident, request.membership, pk=pk)
    return render(request, "residents/list.html", {"residents": [resident]})
