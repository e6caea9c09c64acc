"""Walks every URL pattern of the project for every role and for a user of another network.

What each actor should get is read from the view's declared access (networks.access) and the
permission table (networks.roles.PERMISSIONS), so a new URL is covered the moment it is added —
and a view without a declared access fails this test. The walk addresses real objects: the
object a URL names (by pk, asset tag, token, HSDS id …, as the view declares), the network a
public URL names (a real slug), and objects named in query strings and POST bodies (the
parameters the views read, and every model choice a form offers).
"""

import ast
import html
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django import forms
from django.apps import apps
from django.db.models import F, ForeignKey
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path

from digibank.accounts.models import ApiToken
from digibank.audit.models import AuditEntry
from digibank.catalogue.models import Service
from digibank.devices.models import Device, DonationBatch, Donor, Location, StockTake
from digibank.digipunten.models import Closure, Digipunt, HelpSession, HelpTheme, OpeningPeriod
from digibank.lending.models import PriorityCategory, WaitingListEntry
from digibank.messaging.models import OutboundMessage
from digibank.networks.access import LOGIN, PUBLIC, staff_view
from digibank.networks.models import District, Membership, Network
from digibank.networks.roles import role_has
from digibank.networks.scoping import NetworkOwned
from digibank.organisations.models import ContactPerson, Organisation
from digibank.public import hsds
from digibank.referrals.models import InternetTariffApplication, OrganisationCap, Referral
from digibank.residents.models import EligibilityProof, Resident

from .world import ROLE_ACTORS

API_PREFIX = "api/v1/"
# Text that belongs to network "leuven"; the outsider must never see it.
LEUVEN_SECRETS = ["Amira", "Aerts", "Bosmans", "Buurtwerk A", "Contact Anna", "PF1ABCDE"]
# Of those, what leuven's public site and open data never show either (its partners are public).
LEUVEN_PERSONAL = ["Amira", "Aerts", "Bosmans", "PF1ABCDE"]
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
STAFF_ROUTES = [(r, v) for r, v in ROUTES if v.access.requirement not in (PUBLIC, LOGIN)]
PUBLIC_OBJECT_ROUTES = [(r, v) for r, v in ROUTES if v.access.requirement == PUBLIC and v.access.model]
KWARG = re.compile(r"<(?:(\w+):)?(\w+)>")


def first_of(model, network, among=()):
    if model is Network:
        return network
    return model._default_manager.filter(network=network, **dict(among)).order_by("pk").first()


def build_path(route: str, view, world, *, network=None, object_network=None) -> str | None:
    """The route with a real network slug and the declared object of ``object_network``
    (default: both leuven). None when that network has no such object."""
    network = network or world.leuven
    object_network = object_network or network
    access = view.access
    obj = first_of(access.model, object_network, access.among) if access.model is not None else None
    if access.model is not None and obj is None:
        return None
    query = {}
    if obj is not None and access.source_kind == "query":
        query[access.source_name] = access.value_for(obj)

    def fill(match):
        name = match.group(2)
        if route in NOT_NETWORK_OBJECTS:
            return "x"
        if name == "network_slug":
            return network.slug
        if obj is not None and access.source_kind == "url" and name == access.source_name:
            return access.value_for(obj)
        raise AssertionError(f"{route}: the URL names <{name}> but the view declares no model for it")

    result = "/" + KWARG.sub(fill, route).replace("^", "").replace("$", "")
    return result + ("?" + urlencode(query) if query else "")


def call(client, path, data=None):
    response = client.get(path, data)
    if response.status_code == 405:
        response = client.post(path, data or {})
    return response


def text_of(response) -> str:
    body = b"".join(response) if response.streaming else response.content
    return body.decode(errors="ignore")


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
        obj = first_of(access.model, world.leuven)
        visible = access.model.objects.visible_to(membership).filter(pk=obj.pk).exists()
        return "ok" if visible else "404"
    return "ok"


def last_audit_entry() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# The audit trail's own pages show names without recording them (audit.shown.exempt): reading
# the trail is oversight, and recording it would grow the trail at every reading.
AUDIT_TRAIL_ROUTES = {"audit/", "audit/member/<int:pk>/", "residents/<int:pk>/audit/"}


def unaudited_residents(world, user, response, since: int) -> list[str]:
    """The world's residents whose name this staff page shows with no audit entry written by
    ``user`` after entry ``since``."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    text = text_of(response)
    missing = []
    for resident in (world.resident_a, world.resident_desk):
        if resident.full_name in text or html.escape(resident.full_name) in text:
            entries = AuditEntry.objects.filter(
                pk__gt=since, actor=user, subject_kind="resident", subject_id=resident.pk
            )
            if not entries.exists():
                missing.append(resident.full_name)
    return missing


def test_every_view_declares_its_access():
    missing = [route for route, view in ROUTES if not hasattr(view, "access")]
    assert missing == [], f"Views without an access decorator: {missing}"


# URLs that name something that is not a network's object.
NOT_NETWORK_OBJECTS = {
    "accounts/password/reset/<uidb64>/<token>/": "Django's signed password-reset link names a user",
    "network/invitations/<str:token>/": "an e-mailed invitation names a user's own invitation",
}


def test_every_url_that_names_an_object_declares_its_model():
    undeclared = []
    for route, view in ROUTES:
        if route in NOT_NETWORK_OBJECTS:
            continue
        names = {m.group(2) for m in KWARG.finditer(route)} - {"network_slug"}
        access = view.access
        if names and (access.model is None or access.source != f"url:{next(iter(names))}" or len(names) > 1):
            undeclared.append(route)
    assert undeclared == [], f"Declare model= (and source=) on the views of: {undeclared}"


def test_the_api_is_mounted_under_its_prefix():
    assert any(route.startswith(API_PREFIX) for route, _ in walk())


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[r for r, _ in ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(route, view, world, client):
    response = call(client, build_path(route, view, world))
    if view.access.requirement == PUBLIC:
        assert response.status_code < 400, f"{route}: {response.status_code}"
    else:
        assert is_login_redirect(response), f"{route}: {response.status_code}"


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[r for r, _ in ROUTES])
@pytest.mark.parametrize("actor", [*ROLE_ACTORS, "outsider"])
def test_each_role_gets_what_the_permission_table_says(route, view, actor, world, client_for):
    user = getattr(world, actor)
    last_entry = last_audit_entry()
    response = call(client_for(user), build_path(route, view, world))
    expected = expected_for(view, world, user)
    if route in NOT_NETWORK_OBJECTS and expected == "ok":
        expected = "404"  # the walk's made-up link names nothing
    status = response.status_code
    if expected == "public":
        assert status < 500, f"{actor} on {route}: {status}"
    elif expected == "403":
        assert status == 403, f"{actor} on {route}: {status}"
    elif expected == "404":
        assert status == 404, f"{actor} on {route}: {status}"
    else:
        assert status < 400 and not is_login_redirect(response), f"{actor} on {route}: {status}"
    # A signed-in member's pages and files never stay in a (shared) browser's cache.
    assert "no-store" in response.get("Cache-Control", ""), f"{actor} on {route}: cacheable"
    text = text_of(response)
    secrets = OTHER_SECRETS
    if actor == "outsider":
        # A public page of leuven shows leuven's public data (its partners), never personal data.
        secrets = LEUVEN_PERSONAL if expected == "public" else LEUVEN_SECRETS
    for secret in secrets:
        assert secret not in text, f"{actor} saw {secret!r} on {route}"
    if actor == "partner_b":
        assert "Amira" not in text, f"partner_b saw a resident of another partner on {route}"
    # Every page that shows a resident's name wrote an audit entry about them (audit.shown).
    if expected != "public" and route not in AUDIT_TRAIL_ROUTES:
        assert unaudited_residents(world, user, response, last_entry) == [], f"{actor} on {route}"


@pytest.mark.parametrize(("route", "view"), PUBLIC_OBJECT_ROUTES, ids=[r for r, _ in PUBLIC_OBJECT_ROUTES])
def test_public_pages_behind_a_personal_link_are_never_cached_the_others_may_be(route, view, world, client):
    response = call(client, build_path(route, view, world))
    cache_control = response.get("Cache-Control", "")
    if "token" in view.access.source:
        assert "no-store" in cache_control, route
    else:
        assert "no-store" not in cache_control, route


@pytest.mark.parametrize(("route", "view"), PUBLIC_OBJECT_ROUTES, ids=[r for r, _ in PUBLIC_OBJECT_ROUTES])
def test_a_public_url_of_one_network_never_shows_an_object_of_another(route, view, world, client):
    path_ = build_path(route, view, world, network=world.leuven, object_network=world.other)
    assert path_ is not None, f"The test world has no {view.access.model.__name__} in network other"
    response = call(client, path_)
    assert response.status_code == 404, f"{route}: {response.status_code}"
    for secret in OTHER_SECRETS:
        assert secret not in text_of(response)


def test_an_unknown_network_slug_is_404_on_every_public_page(world, client):
    for route, view in ROUTES:
        if "<slug:network_slug>" in route and route not in NOT_NETWORK_OBJECTS:
            good = build_path(route, view, world)
            response = call(client, good.replace(f"/{world.leuven.slug}/", "/no-such-network/", 1))
            assert response.status_code == 404, route


# --- objects named in parameters --------------------------------------------------------------

# The parameters the views read that name an object (query string or POST body), and what a
# value of leuven looks like for each. test_every_parameter_that_names_an_object_is_probed
# keeps this list complete.
PROBES = {
    "resident": Resident,
    "proof": EligibilityProof,
    "contact": ContactPerson,
    "exception": OrganisationCap,
    "stock_take": StockTake,
    "device": Device,
    "period": OpeningPeriod,
    "closure": Closure,
    "token": ApiToken,
    "network": Network,
    "referral": Referral,
    "batch": DonationBatch,
    "donor": Donor,
    "district": District,
    "application": InternetTariffApplication,
    "category": PriorityCategory,
    "entry": WaitingListEntry,
    "session": HelpSession,
    "theme": HelpTheme,
    "digipunt": Digipunt,
    "location": Location,
    "organisation": Organisation,
    "service": Service,
    # The Outbox's "mark as printed": the last letter that was in the PDF.
    "upto": OutboundMessage,
    "tag": lambda world: first_of(Device, world.leuven).asset_tag,
    "organization_id": lambda world: hsds.organization_id(world.org_a),
}
# Parameters the views read that never name an object.
NOT_OBJECTS = {
    "q",
    "page",
    "show",
    "next",
    "status",
    "kind",
    "action",
    "confirm",
    "lang",
    "key",
    "language",
    "format",
    "year",
    "gaps",
    "add",
    "outcome",
    "with_referral",
    "allow_duplicate",
    "week",
    "tab",
    "all",
    "active",
    "sha256",
    "type",
    "due",
    "channel",
    "assigned",
    "reference",
    "from",
    "to",
    "period_start",
    "period_end",
    "months",
    "view",
    "weeks",
    "answer",
}


def probe_values(world) -> dict:
    values = {}
    for name, source in PROBES.items():
        if callable(source) and not isinstance(source, type):
            values[name] = source(world)
        else:
            obj = first_of(source, world.leuven)
            if obj is not None:
                values[name] = obj.pk
    return values


def parameters_read_by_views() -> set[str]:
    """Every literal name a view module reads from request.GET / request.POST."""
    names = set()
    for file in Path("digibank").rglob("*.py"):
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            target = None
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
            ):
                target, args = node.func.value, node.args
            elif isinstance(node, ast.Subscript):
                target, args = node.value, [node.slice]
            if (
                isinstance(target, ast.Attribute)
                and target.attr in {"GET", "POST"}
                and args
                and isinstance(args[0], ast.Constant)
                and isinstance(args[0].value, str)
            ):
                names.add(args[0].value)
    return names


def test_every_parameter_that_names_an_object_is_probed():
    unknown = parameters_read_by_views() - set(PROBES) - NOT_OBJECTS
    assert unknown == set(), f"Add these parameters to PROBES (or NOT_OBJECTS): {sorted(unknown)}"


def cross_network_references() -> list[str]:
    """Rows that point at a row of another network: must never exist."""
    found = []
    for model in apps.get_models():
        if not issubclass(model, NetworkOwned):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.name != "network":
                target = field.related_model
                if isinstance(target, type) and issubclass(target, NetworkOwned):
                    bad = model._default_manager.exclude(**{f"{field.name}__isnull": True}).exclude(
                        network_id=F(f"{field.name}__network_id")
                    )
                    if bad.exists():
                        found.append(f"{model._meta.label}.{field.name}")
    return found


def probe_problems(client, path_: str, values: dict) -> list[str]:
    """Call ``path_`` naming leuven's objects in every parameter; what leaked or went wrong."""
    problems = []
    for method in ("get", "post"):
        response = getattr(client, method)(path_, values)
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {path_}: {response.status_code}")
        text = text_of(response)
        problems += [f"{method.upper()} {path_} shows {s!r}" for s in LEUVEN_SECRETS if s in text]
    return problems


@pytest.mark.parametrize(("route", "view"), STAFF_ROUTES, ids=[r for r, _ in STAFF_ROUTES])
def test_objects_of_another_network_named_in_parameters_are_refused(route, view, world):
    """The outsider works in network "other": their own page (with their own object in the URL),
    with every parameter naming an object of leuven. Nothing of leuven may show, and no row
    of "other" may come to point at a row of leuven."""
    path_ = build_path(route, view, world, network=world.other)
    if path_ is None:
        pytest.skip(f"network other has no {view.access.model.__name__}")
    client = Client(raise_request_exception=False)
    client.force_login(world.outsider)
    assert probe_problems(client, path_, probe_values(world)) == []
    assert cross_network_references() == []


def test_the_walk_catches_a_view_that_looks_a_device_up_by_tag_without_scoping(world, settings):
    """The mutation the walk exists for: a view that finds a device by its tag in every network."""

    @staff_view("device.view")
    def leaky_by_tag(request):
        device = Device.objects.filter(asset_tag__iexact=request.GET.get("tag", "")).first()
        return HttpResponse(f"{device.serial if device else ''}")

    module = type("urls", (), {"urlpatterns": [path("leaky/", leaky_by_tag)]})
    settings.ROOT_URLCONF = module
    client = Client(raise_request_exception=False)
    client.force_login(world.outsider)
    assert probe_problems(client, "/leaky/", probe_values(world)) != []


@pytest.mark.parametrize(("route", "view"), STAFF_ROUTES, ids=[r for r, _ in STAFF_ROUTES])
def test_a_resident_named_in_a_pages_parameters_and_shown_is_audited(route, view, world):
    """The coordinator opens every page of their own network with every parameter naming one of
    its objects (``?resident=`` …): each resident whose name shows is in the audit trail."""
    path_ = build_path(route, view, world)
    if path_ is None:
        pytest.skip(f"network leuven has no {view.access.model.__name__}")
    client = Client(raise_request_exception=False)
    if route in AUDIT_TRAIL_ROUTES:
        pytest.skip("the audit trail itself")
    client.force_login(world.coordinator)
    since = last_audit_entry()
    response = client.get(path_, probe_values(world))
    assert unaudited_residents(world, world.coordinator, response, since) == []


def test_the_walk_catches_a_page_that_shows_a_resident_unaudited(world, settings):
    """The mutation the audit check exists for: a page showing a name, with the automatic audit
    switched off, is caught; with it on, the same page is audited without a line of its own."""

    @staff_view("resident.view")
    def shows_a_name(request):
        resident = Resident.objects.visible_to(request.membership).get(pk=request.GET["resident"])
        return HttpResponse(f"<p>{resident.full_name}</p>")

    project = get_resolver().url_patterns
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("shows/", shows_a_name), *project]})
    client = Client()
    client.force_login(world.desk)
    since = last_audit_entry()
    response = client.get("/shows/", {"resident": world.resident_desk.pk})
    assert unaudited_residents(world, world.desk, response, since) == []
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("AuditShownMiddleware")]
    client = Client()  # a client loads the middleware once
    client.force_login(world.desk)
    since = last_audit_entry()
    response = client.get("/shows/", {"resident": world.resident_desk.pk})
    assert unaudited_residents(world, world.desk, response, since) == [world.resident_desk.full_name]


def test_the_walk_catches_a_row_pointing_into_another_network(world):
    assert cross_network_references() == []
    Device.objects.filter(pk=world.other_device.pk).update(location=first_of(Location, world.leuven))
    assert cross_network_references() == ["devices.Device.location"]


# --- what forms offer -------------------------------------------------------------------------


@pytest.fixture
def forms_made(monkeypatch):
    made = []
    original = forms.BaseForm.__init__

    def record(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(forms.BaseForm, "__init__", record)
    return made


def choice_problems(made, membership) -> list[str]:
    problems = []
    for form in made:
        for name, field in form.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
                continue
            model = field.queryset.model
            label = f"{type(form).__name__}.{name}"
            if issubclass(model, NetworkOwned):
                allowed = model.objects.visible_to(membership)
                if field.queryset.exclude(pk__in=allowed.values("pk")).exists():
                    problems.append(f"{label} offers {model.__name__} rows this member may not see")
            elif (
                model is Membership.user.field.related_model
                and field.queryset.exclude(memberships__network_id=membership.network_id).exists()
            ):
                problems.append(f"{label} offers users of another network")
    return problems


@pytest.mark.parametrize(("route", "view"), STAFF_ROUTES, ids=[r for r, _ in STAFF_ROUTES])
@pytest.mark.parametrize("actor", list(ROLE_ACTORS))
def test_forms_offer_only_objects_the_member_may_see(route, view, actor, world, client_for, forms_made):
    user = getattr(world, actor)
    membership = Membership.objects.get(user=user, network=world.leuven)
    if not role_has(membership.role, view.access.requirement):
        return
    client_for(user).get(build_path(route, view, world))
    assert choice_problems(forms_made, membership) == []
