"""Deny by default: a model's rows are visible only to the roles it names (networks.scoping)."""

import pytest
from django.apps import apps

from digibank.networks.models import Membership
from digibank.networks.roles import PERMISSIONS
from digibank.networks.scoping import NetworkOwned
from digibank.referrals.models import RequestSequence

from .world import ROLE_ACTORS

SCOPED = [m for m in apps.get_models() if issubclass(m, NetworkOwned)]


def test_every_model_of_a_network_says_who_may_see_its_rows():
    undecided = [m._meta.label for m in SCOPED if "visible_with" not in m.__dict__]
    assert undecided == [], f"Declare visible_with (() for internal tables) on: {undecided}"


def test_models_name_only_permissions_that_exist():
    unknown = {
        m._meta.label: [p for p in m.visible_with if p not in PERMISSIONS]
        for m in SCOPED
        if any(p not in PERMISSIONS for p in m.visible_with)
    }
    assert unknown == {}


def test_a_model_that_names_nobody_shows_nothing_even_to_the_coordinator(world):
    coordinator = Membership.objects.get(user=world.coordinator, network=world.leuven)
    assert RequestSequence.objects.in_network(world.leuven).exists()
    assert not RequestSequence.objects.visible_to(coordinator).exists()


def test_nobody_without_a_membership_sees_anything(world):
    for model in SCOPED:
        assert not model.objects.visible_to(None).exists(), model._meta.label


@pytest.mark.parametrize("actor", [*ROLE_ACTORS, "outsider"])
def test_no_role_sees_a_row_of_another_network_or_of_a_model_its_role_may_not_see(world, actor):
    user = getattr(world, actor)
    membership = Membership.objects.filter(user=user).first()
    for model in SCOPED:
        visible = model.objects.visible_to(membership)
        assert not visible.exclude(network_id=membership.network_id).exists(), model._meta.label
        if not any(membership.has(p) for p in model.visible_with):
            assert not visible.exists(), f"{actor} sees {model._meta.label}"


def test_an_inactive_membership_sees_nothing(world):
    membership = Membership.objects.get(user=world.coordinator, network=world.leuven)
    membership.is_active = False
    for model in SCOPED:
        assert not model.objects.visible_to(membership).exists(), model._meta.label
