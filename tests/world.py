"""The cast of every test: one network with an actor per role, and a second network.

coordinator, desk, partner_a (works for org_a), partner_b (works for org_b), digipunt,
provider (course provider, org_a), volunteer, steering       -- all in network ``leuven``
outsider: coordinator of network ``other``
resident_a: registered by org_a; resident_desk: registered by the service desk;
resident_other: in network ``other``
"""

import importlib
import pkgutil
from pathlib import Path
from types import SimpleNamespace

from . import factories as f

ROLE_ACTORS = {
    "coordinator": "coordinator",
    "desk": "service_desk",
    "partner_a": "partner_worker",
    "partner_b": "partner_worker",
    "digipunt": "digipunt_staff",
    "provider": "course_provider",
    "volunteer": "volunteer",
    "steering": "steering_viewer",
}


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.leuven = f.NetworkFactory(name="Iedereen Digitaal @ Leuven (test)", slug="leuven-test")
    w.other = f.NetworkFactory(name="Digibank Andere Stad (test)", slug="andere-test")
    w.district = f.DistrictFactory(network=w.leuven, name="Heverlee", postcodes="3001")
    w.district_other = f.DistrictFactory(network=w.other, name="Zegersdorp", postcodes="9990")
    w.org_a = f.OrganisationFactory(network=w.leuven, name="Buurtwerk A")
    w.org_b = f.OrganisationFactory(network=w.leuven, name="OCMW B", type="social_welfare")
    w.org_other = f.OrganisationFactory(network=w.other, name="Partner elders")
    w.contact_a = f.ContactPersonFactory(organisation=w.org_a, name="Contact Anna")
    for actor, role in ROLE_ACTORS.items():
        org = {"partner_a": w.org_a, "partner_b": w.org_b, "provider": w.org_a}.get(actor)
        # Staff read English in tests (the msgids); the product default stays Dutch.
        # Fixed names: a random surname could collide with a resident's name the walks look for.
        user = f.UserFactory(
            username=actor, first_name=actor.capitalize(), last_name="Tester", preferred_language="en"
        )
        f.MembershipFactory(network=w.leuven, user=user, role=role, organisation=org)
        setattr(w, actor, user)
    w.outsider = f.UserFactory(
        username="outsider", first_name="Outsider", last_name="Tester", preferred_language="en"
    )
    f.MembershipFactory(network=w.other, user=w.outsider, role="coordinator")
    # A pending invitation in each network (the walk withdraws one of each).
    w.invitation = f.MembershipInvitationFactory(network=w.leuven, username="invitee-leuven")
    w.invitation_other = f.MembershipInvitationFactory(network=w.other, username="invitee-other")
    w.resident_a = f.ResidentFactory(
        network=w.leuven, first_name="Amira", last_name="Aerts", organisation=w.org_a, district=w.district
    )
    w.resident_desk = f.ResidentFactory(network=w.leuven, first_name="Bart", last_name="Bosmans")
    w.resident_other = f.ResidentFactory(network=w.other, first_name="Zoë", last_name="Zegers")
    for extend in world_extensions():
        extend(w)
    return w


def world_extensions():
    """Each capability adds its objects to the world in ``tests/<area>/world.py: extend_world(w)``.

    They run in alphabetical order of the area; an area that needs another's objects checks
    ``hasattr(w, ...)`` or creates what it needs itself.
    """
    here = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda i: i.name):
        if info.ispkg and (here / info.name / "world.py").exists():
            module = importlib.import_module(f"tests.{info.name}.world")
            yield module.extend_world
