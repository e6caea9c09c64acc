"""Other capabilities add sections to the resident page through the panels registry (plugins.panels)."""

from django.urls import reverse

from digibank.referrals.models import Request


def test_the_resident_page_shows_the_requests_panel_to_staff_who_may_see_requests(world, client_for):
    text = client_for(world.desk).get(reverse("residents:detail", args=[world.resident_a.pk])).text
    assert 'id="requests"' in text
    assert 'id="internet-tariff"' in text


def test_the_requests_panel_lists_only_requests_the_viewer_may_see(world, client_for):
    requests = list(Request.objects.in_network(world.leuven).filter(resident=world.resident_a))
    assert requests, "the test world has a request for resident_a"
    text = client_for(world.desk).get(reverse("residents:detail", args=[world.resident_a.pk])).text
    for request in requests:
        assert request.reference in text
    other = Request.objects.in_network(world.other).first()
    if other is not None:
        assert reverse("referrals:detail", args=[other.pk]) not in text
