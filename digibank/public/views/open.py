"""Open data without log-in: HSDS 3.0 JSON (the HSDS API's paths) and iCal feeds of help hours.

Read-only, public data only, one network per URL. Anyone may reuse it (CORS: any origin).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from digibank.catalogue.models import Service
from digibank.digipunten.models import Digipunt
from digibank.networks.access import public_view
from digibank.organisations.models import Organisation

from .. import hsds, ical, selectors
from ..hsds import Directory, Kind, NetworkService
from .common import language, network_or_404


def _json(data, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _parsed(network, value: str, kinds: set[int]) -> hsds.ParsedId:
    parsed = hsds.parse_id(value)
    if parsed is None or parsed.kind not in kinds or parsed.network_id != network.pk:
        raise Http404
    return parsed


@require_GET
@public_view
def hsds_root(request: HttpRequest, network_slug: str) -> JsonResponse:
    network = network_or_404(network_slug)
    return _json(hsds.root(network))


@require_GET
@public_view
def services(request: HttpRequest, network_slug: str) -> JsonResponse:
    network = network_or_404(network_slug)
    d = Directory.load(network, language=language())
    wanted = request.GET.get("organization_id", "")
    items = []
    for kind, obj in hsds.all_services(d):
        item = hsds.network_service_flat(d, obj) if kind == "network" else hsds.service_flat(d, obj)
        if not wanted or item["organization_id"] == wanted:
            items.append(item)
    page, per_page = hsds.page_params(request.GET)
    contents, meta = hsds.paginate(items, page=page, per_page=per_page)
    return _json({**meta, "contents": contents})


@require_GET
@public_view(model=Service, source="url:id", key=hsds.service_id)
def service(request: HttpRequest, network_slug: str, id: str) -> JsonResponse:  # noqa: A002 -- HSDS's name
    network = network_or_404(network_slug)
    parsed = _parsed(network, id, {Kind.SERVICE, Kind.NETWORK_SERVICE})
    d = Directory.load(network, language=language())
    if parsed.kind == Kind.NETWORK_SERVICE:
        if parsed.sub not in NetworkService._value2member_map_ or parsed.pk != network.pk:
            raise Http404
        return _json(hsds.network_service_full(d, NetworkService(parsed.sub)))
    found = next((s for s in d.services if s.pk == parsed.pk), None)
    if found is None:
        raise Http404
    return _json(hsds.service_full(d, found))


@require_GET
@public_view
def organizations(request: HttpRequest, network_slug: str) -> JsonResponse:
    network = network_or_404(network_slug)
    d = Directory.load(network, language=language(), places=False)
    items = [item for _obj, item in hsds.organizations(d)]
    page, per_page = hsds.page_params(request.GET)
    contents, meta = hsds.paginate(items, page=page, per_page=per_page)
    return _json({**meta, "contents": contents})


@require_GET
@public_view(model=Organisation, source="url:id", key=hsds.organization_id)
def organization(request: HttpRequest, network_slug: str, id: str) -> JsonResponse:  # noqa: A002
    network = network_or_404(network_slug)
    parsed = _parsed(network, id, {Kind.ORGANIZATION, Kind.NETWORK})
    d = Directory.load(network, language=language())
    if parsed.kind == Kind.NETWORK:
        if parsed.pk != network.pk:
            raise Http404
        return _json(hsds.organization_full(d, None))
    found = next((o for o in d.organisations if o.pk == parsed.pk), None)
    if found is None:
        raise Http404
    return _json(hsds.organization_full(d, found))


@require_GET
@public_view
def service_at_locations(request: HttpRequest, network_slug: str) -> JsonResponse:
    network = network_or_404(network_slug)
    d = Directory.load(network, language=language(), catalogue=False)
    items = [hsds.sal_flat(d, key, place) for key, place in hsds.sal_all(d)]
    page, per_page = hsds.page_params(request.GET)
    contents, meta = hsds.paginate(items, page=page, per_page=per_page)
    return _json({**meta, "contents": contents})


@require_GET
@public_view(model=Digipunt, source="url:id", key=hsds.service_at_location_id)
def service_at_location(request: HttpRequest, network_slug: str, id: str) -> JsonResponse:  # noqa: A002
    network = network_or_404(network_slug)
    parsed = _parsed(network, id, {Kind.SERVICE_AT_LOCATION})
    d = Directory.load(network, language=language(), catalogue=False)
    found = next(((k, p) for k, p in hsds.sal_all(d) if int(k) == parsed.sub and p.pk == parsed.pk), None)
    if found is None:
        raise Http404
    return _json(hsds.sal_full(d, *found))


@require_GET
@public_view
def locations(request: HttpRequest, network_slug: str) -> JsonResponse:
    network = network_or_404(network_slug)
    d = Directory.load(network, language=language())
    items = [hsds.location_full(d, place) for place in d.digipunten]
    page, per_page = hsds.page_params(request.GET)
    contents, meta = hsds.paginate(items, page=page, per_page=per_page)
    return _json({**meta, "contents": contents})


@require_GET
@public_view(model=Digipunt, source="url:id", key=hsds.location_id)
def location(request: HttpRequest, network_slug: str, id: str) -> JsonResponse:  # noqa: A002
    network = network_or_404(network_slug)
    parsed = _parsed(network, id, {Kind.LOCATION})
    d = Directory.load(network, language=language())
    found = next((p for p in d.digipunten if p.pk == parsed.pk), None)
    if found is None:
        raise Http404
    return _json(hsds.location_full(d, found))


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@public_view
def ical_network(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_or_404(network_slug)
    return _calendar(ical.help_hours(network=network), f"help-hours-{network.slug}.ics")


@require_GET
@public_view(model=Digipunt)
def ical_digipunt(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    network = network_or_404(network_slug)
    place = selectors.digipunt_for_site(network=network, pk=pk)
    return _calendar(
        ical.help_hours(network=network, digipunt=place), f"help-hours-{network.slug}-{place.pk}.ics"
    )
