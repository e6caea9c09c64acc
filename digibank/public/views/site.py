"""The pages residents read: the networks, a network's home, finding a digipunt, its page,
the privacy notice and printable flyers."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from digibank.digipunten.models import Digipunt
from digibank.lib.forms import Form
from digibank.lib.pdf import pdf_response
from digibank.networks.access import public_view
from digibank.networks.models import District

from .. import flyers, selectors
from .common import language, network_or_404, site_render


@require_GET
@public_view
def network_list(request: HttpRequest) -> HttpResponse:
    return site_render(request, None, "public/network_list.html", {"networks": selectors.network_list()})


@require_GET
@public_view
def home(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    texts = selectors.public_texts(network=network, language=language())
    return site_render(request, network, "public/home.html", {"texts": texts})


@require_GET
@public_view
def privacy(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    texts = selectors.public_texts(network=network, language=language())
    return site_render(request, network, "public/privacy.html", {"texts": texts})


class FindForm(Form):
    """The filters of "find help near you" (GET: the list works without JavaScript)."""

    postcode = forms.CharField(
        label=gettext_lazy("Your postcode"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "maxlength": 4}),
    )
    district = forms.ChoiceField(label=gettext_lazy("District"), required=False)
    need = forms.ChoiceField(label=gettext_lazy("What do you need?"), required=False)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    open_now = forms.BooleanField(label=gettext_lazy("Only places that are open now"), required=False)

    def __init__(self, *args, districts, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = districts
        everything = gettext_lazy("All")
        self.fields["district"].choices = [("", everything)] + [(str(d.pk), d.name) for d in districts]
        self.fields["need"].choices = [("", everything), *selectors.Need.CHOICES]
        self.fields["language"].choices = [("", everything), *languages]
        if not districts:
            del self.fields["district"]

    def clean_postcode(self):
        value = "".join((self.cleaned_data.get("postcode") or "").split())
        if value and not (value.isdigit() and len(value) == 4):
            raise forms.ValidationError(gettext_lazy("A postcode has 4 digits, for example 3000."))
        return value

    def filters(self) -> selectors.Filters:
        if not self.is_bound or not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        district = next((d for d in self.districts if str(d.pk) == data.get("district")), None)
        return selectors.Filters(
            district=district,
            postcode=data.get("postcode", ""),
            need=data.get("need", ""),
            language=data.get("language", ""),
            open_now=bool(data.get("open_now")),
        )


@require_GET
@public_view
def find(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    now = timezone.now()
    districts = selectors.districts_of(network)
    every = selectors.site_rows(network=network, at=now)
    form = FindForm(request.GET or None, districts=districts, languages=selectors.languages_on_offer(every))
    filters = form.filters()
    rows = selectors.find(rows=every, filters=filters, districts=districts)
    context = {"form": form, "rows": rows, "filters": filters}
    return site_render(request, network, "public/find.html", context)


@require_GET
@public_view(model=Digipunt)
def digipunt(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = network_or_404(network_slug)
    place = selectors.digipunt_for_site(network=network, pk=pk)
    page = selectors.digipunt_page(place)
    context = {"page": page, "digipunt": place, "today": timezone.localdate()}
    return site_render(request, network, "public/digipunt.html", context)


# --- flyers ----------------------------------------------------------------------------------------


def _flyer_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    codes = [code for code, _name in settings.LANGUAGES]
    return wanted if wanted in codes else language()


@require_GET
@public_view
def flyer_list(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    context = {
        "districts": selectors.districts_of(network),
        "digipunten": selectors.active_digipunten(network),
        "flyer_languages": settings.LANGUAGES,
    }
    return site_render(request, network, "public/flyers.html", context)


@require_GET
@public_view(model=District)
def flyer_district(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = network_or_404(network_slug)
    district = District.objects.in_network(network).filter(pk=pk).first()
    if district is None:
        raise Http404
    lang = _flyer_language(request)
    with translation.override(lang):
        pdf = flyers.district_flyer(network=network, district=district, language=lang)
    return pdf_response(pdf, f"flyer-{network.slug}-{district.pk}-{lang}.pdf", inline=True)


@require_GET
@public_view(model=Digipunt)
def flyer_digipunt(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = network_or_404(network_slug)
    place = selectors.digipunt_for_site(network=network, pk=pk)
    lang = _flyer_language(request)
    with translation.override(lang):
        pdf = flyers.digipunt_flyer(network=network, digipunt=place, language=lang)
    return pdf_response(pdf, f"flyer-{network.slug}-digipunt-{place.pk}-{lang}.pdf", inline=True)
