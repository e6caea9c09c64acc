"""Walks every URL pattern of the project for every role and for a user of another network.

What each actor should get is read from the view's declared access (networks.access) and
the permission table (networks.roles.PERMISSIONS), so a new URL is covered the moment it
is added — and a view without a declared access fails this test.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from digibank.networks.access import LOGIN, PUBLIC
from digibank.networks.models import Membership
from digibank.networks.roles import role_has

from .world import ROLE_ACTORS

API_PREFIX = "api/v1/"
# Text that belongs to network "leuven"; the outsider must never see it.
LEUVEN_SECRETS = ["Amira", "Aerts", "Bosmans", "Buurtwerk A", "Contact Anna"]
# Text that belongs to network "other"; nobody in leuven may see it.
OTHER_SECRETS = ["Zegers", "Partner elders"]


def walk(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


ROUTES = [(route, view) for route, view in walk() if not route.startswith(API_PREFIX)]


def test_every_view_declares_its_access():
    missing = [route for route, view in ROUTES if not hasattr(view, "access")]
    assert missing == [], f"Views without an access decorator: {missing}"


def test_the_api_is_mounted_under_its_prefix():
    assert any(route.startswith(API_PREFIX) for route, _ in walk())


def build_path(route: str, view, world) -> str:
    access = view.access

    def fill(match):
        name = match.group(2)
        if name == "pk" and access.model is not None:
            obj = access.model.objects.filter(network=world.leuven).order_by("pk").first()
            assert obj is not None, f"The test world has no {access.model.__name__} for {route}"
            return str(obj.pk)
        return "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def call(client, path):
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def expected_for(view, world, user) -> str:
    access = view.access
    if access.requirement == PUBLIC:
        return "public"
    if access.requirement == LOGIN:
        return "ok"
    membership = Membership.objects.filter(user=user, network=world.leuven).first()
    if membership is None:
        # The outsider works in another network: objects of leuven are invisible (404),
        # pages without an object show their own network's data.
        return "404" if access.model is not None else "ok"
    if not role_has(membership.role, access.requirement):
        return "403"
    if access.model is not None:
        obj = access.model.objects.filter(network=world.leuven).order_by("pk").first()
        visible = access.model.objects.visible_to(membership).filter(pk=obj.pk).exists()
        return "ok" if visible else "404"
    return "ok"


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(route, view, world, client):
    response = call(client, build_path(route, view, world))
    if view.access.requirement == PUBLIC:
        assert response.status_code < 500
    else:
        assert is_login_redirect(response), f"{route}: {response.status_code}"


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[r for r, _ in ROUTES])
@pytest.mark.parametrize("actor", [*ROLE_ACTORS, "outsider"])
def test_each_role_gets_what_the_permission_table_says(route, view, actor, world, client_for):
    user = getattr(world, actor)
    response = call(client_for(user), build_path(route, view, world))
    expected = expected_for(view, world, user)
    status = response.status_code
    if expected == "public":
        assert status < 500, f"{actor} on {route}: {status}"
    elif expected == "403":
        assert status == 403, f"{actor} on {route}: {status}"
    elif expected == "404":
        assert status == 404, f"{actor} on {route}: {status}"
    else:
        assert status < 400 and not is_login_redirect(response), f"{actor} on {route}: {status}"
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="ignore")
    secrets = LEUVEN_SECRETS if actor == "outsider" else OTHER_SECRETS
    for secret in secrets:
        assert secret not in text, f"{actor} saw {secret!r} on {route}"
    if actor == "partner_b":
        assert "Amira" not in text, f"partner_b saw a resident of another partner on {route}"
