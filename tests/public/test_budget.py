"""Every public page stays within 30 KB transferred: its HTML and everything it loads (CSS, JS),
each gzip-compressed as a server sends it (images excluded; the public pages have none).

The browser test (tests/browser/test_public_budget.py) measures the same on what Chromium
actually loads and checks that nothing leaves the site's origin.
"""

import gzip
import re
import uuid

import pytest
from django.contrib.staticfiles import finders
from django.urls import get_resolver, reverse

from digibank.digipunten.cancel import cancel_token_make
from digibank.networks.access import PUBLIC

from .conftest import always_open, daily_sessions
from .test_booking import booking_data, first_slot

BUDGET = 30 * 1024
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')
# Public routes that are not HTML pages.
NOT_PAGES = {"flyer_digipunt", "flyer_district"}


def public_page_names() -> set[str]:
    resolver = get_resolver().namespace_dict["public"][1]
    return {
        p.name
        for p in resolver.url_patterns
        if getattr(p.callback, "access", None) is not None and p.callback.access.requirement == PUBLIC
    } - NOT_PAGES


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def transferred(client, url, *, method="get", data=None) -> tuple[int, list[str]]:
    response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 429), (url, response.status_code)
    html = response.content
    total = gzipped(html)
    assets = ASSET.findall(html.decode())
    for asset in assets:
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        with open(path, "rb") as fh:
            total += gzipped(fh.read())
    return total, assets


@pytest.fixture
def busy(site):
    """A big network: 20 digipunten with help hours every evening (many slots to book)."""
    for i in range(18):
        place = always_open(
            site.leuven, name=f"Digipunt nummer {i} met een vrij lange naam", district=site.district
        )
        daily_sessions(place)
    return site


def pages(world, client) -> dict[str, tuple[str, str, dict | None]]:
    slug = world.leuven.slug
    kw = {"network_slug": slug}
    slot = first_slot(world)
    book = reverse("public:book", kwargs={**kw, "pk": world.open_dp.pk})
    booked = client.post(book, booking_data(slot))["Location"]
    token = booked.rstrip("/").rsplit("/", 1)[-1]
    appointment_token = cancel_token_make(_appointment(world))
    return {
        "networks": (reverse("public:networks"), "get", None),
        "home": (reverse("public:home", kwargs=kw), "get", None),
        "find": (reverse("public:find", kwargs=kw), "get", None),
        "digipunt": (reverse("public:digipunt", kwargs={**kw, "pk": world.open_dp.pk}), "get", None),
        "book": (book, "get", None),
        "book_start": (reverse("public:book_start", kwargs=kw), "get", None),
        "cancel": (reverse("public:cancel", kwargs={**kw, "token": appointment_token}), "get", None),
        "help": (reverse("public:help", kwargs=kw), "post", {"form_token": str(uuid.uuid4())}),
        "volunteer": (reverse("public:volunteer", kwargs=kw), "post", {"form_token": str(uuid.uuid4())}),
        "donate": (reverse("public:donate", kwargs=kw), "post", {"form_token": str(uuid.uuid4())}),
        "thanks": (reverse("public:thanks", kwargs={**kw, "token": token}), "get", None),
        "privacy": (reverse("public:privacy", kwargs=kw), "get", None),
        "flyers": (reverse("public:flyers", kwargs=kw), "get", None),
    }


def _appointment(world):
    from digibank.digipunten.models import Appointment

    return Appointment.objects.in_network(world.leuven).filter(channel="web").latest("pk")


def test_every_public_page_is_measured(busy, english):
    assert set(pages(busy, english)) == public_page_names()


def test_every_public_page_stays_within_30_kb_compressed(busy, english):
    sizes = {}
    for name, (url, method, data) in pages(busy, english).items():
        sizes[name], assets = transferred(english, url, method=method, data=data)
        assert all(asset.startswith("/static/") for asset in assets), (name, assets)
    too_big = {name: size for name, size in sizes.items() if size > BUDGET}
    assert too_big == {}, sizes


def test_the_empty_forms_with_all_their_errors_also_fit(busy, english):
    # (the pages above POST empty forms: every error message is on the page)
    html = english.post(
        reverse("public:help", kwargs={"network_slug": busy.leuven.slug}), {}
    ).content.decode()
    assert html.count('class="error"') >= 5
