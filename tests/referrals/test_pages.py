"""Pages render for every role that may see them, with and without htmx, and the resident-page tag."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from digibank.networks.models import Membership

from .helpers import make_request, refer


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("referrals:triage", {"status": "referred"}),
        ("referrals:list", {"status": "referred"}),
        ("referrals:create", {"q": "Aerts"}),
    ],
)
def test_htmx_requests_get_the_results_fragment(world, client_for, name, params):
    response = client_for(world.desk).get(reverse(name), params, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and "Amira" in text


def test_the_request_form_shows_the_new_resident_fields_and_the_live_duplicate_check(world, client_for):
    text = client_for(world.desk).get(reverse("referrals:create"), {"new": "1"}).content.decode()
    assert 'name="first_name"' in text and 'hx-get="/residents/duplicates/"' in text
    assert 'name="needs"' in text and 'name="channel"' in text
    partner_text = client_for(world.partner_a).get(reverse("referrals:create"), {"new": "1"}).content.decode()
    assert 'name="channel"' not in partner_text


def render_tag(world, actor, resident):
    request = RequestFactory().get("/")
    request.user = getattr(world, actor)
    request.membership = Membership.objects.get(user=request.user, network=world.leuven)
    template = Template("{% load referral_tags %}{% resident_requests resident %}")
    return template.render(Context({"request": request, "resident": resident}))


def test_the_resident_page_tag_lists_the_requests_and_referrals_the_viewer_may_see(world):
    second = make_request(world)
    refer(world, second, world.service_course)
    text = render_tag(world, "partner_a", world.resident_a)
    assert world.request_a.reference in text and second.reference in text
    assert "Computer course for beginners (test)" in text
    assert render_tag(world, "steering", world.resident_a).strip() == ""
    assert world.request_a.reference not in render_tag(world, "partner_b", world.resident_a)
