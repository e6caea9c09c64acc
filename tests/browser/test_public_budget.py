"""What a browser really loads for each public page: nothing from another origin (no CDN, font,
map or tracker) and at most 30 KB transferred — every response body gzip-compressed as a
server would send it, images excluded."""

import gzip
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.public.conftest import always_open, daily_sessions
from tests.public.test_budget import BUDGET, pages

pytestmark = pytest.mark.django_db(transaction=True)

COUNTED = {"document", "stylesheet", "script", "font", "xhr", "fetch", "other"}


@pytest.fixture
def busy(world):
    from digibank.networks.models import District

    w = world
    w.kessel_lo = District.objects.create(network=w.leuven, name="Kessel-Lo", postcodes="3010")
    w.open_dp = always_open(w.leuven, name="Open Huis Kessel-Lo", district=w.kessel_lo)
    daily_sessions(w.open_dp)
    for i in range(18):
        daily_sessions(always_open(w.leuven, name=f"Digipunt nummer {i} met een vrij lange naam"))
    return w


def measure(context, url, *, post_empty_form: bool) -> tuple[int, list[str]]:
    """Load ``url`` in a fresh tab (and, for a form, send it empty to see every error); return
    the gzip size of what the last view loaded and every URL that was requested."""
    page = context.new_page()
    requested, responses = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if post_empty_form:
            responses.clear()
            page.locator("main form[method=post] button[type=submit]").first.click()
            page.wait_for_load_state("networkidle")
        total = sum(
            len(gzip.compress(response.body(), compresslevel=6))
            for response in responses
            if response.request.resource_type in COUNTED and response.status < 300
        )
    finally:
        page.close()
    return total, requested


def test_every_public_page_loads_nothing_from_elsewhere_and_stays_within_30_kb(busy, browser, live_server):
    origin = urlsplit(live_server.url)
    context = browser.new_context(locale="nl-BE", viewport={"width": 390, "height": 844})
    sizes, foreign = {}, []
    try:
        for name, (url, method, _data) in pages(busy, Client(HTTP_ACCEPT_LANGUAGE="nl")).items():
            total, requested = measure(context, live_server.url + url, post_empty_form=method == "post")
            sizes[name] = total
            for address in requested:
                parts = urlsplit(address)
                if parts.scheme == "data":
                    continue
                if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                    foreign.append((name, address))
    finally:
        context.close()
    assert foreign == []
    assert {name: size for name, size in sizes.items() if size > BUDGET} == {}, sizes
    assert all(size > 1000 for size in sizes.values()), sizes  # the measurement saw the pages
