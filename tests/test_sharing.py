"""The shared world (tests/sharing.py): built once per module, yet every test starts from it
unchanged, in the database and in memory; a transactional test gets a committed world of its
own, outside any outer transaction."""

import pytest
from django.db import connection

from digibank.residents.models import Resident


@pytest.mark.parametrize("turn", [1, 2])
def test_a_change_to_the_world_does_not_reach_the_next_test(world, turn):
    assert world.resident_a.first_name == "Amira"
    assert Resident.objects.get(pk=world.resident_a.pk).first_name == "Amira"
    assert not hasattr(world, "added_by_a_test")
    world.resident_a.first_name = f"Changed {turn}"
    world.resident_a.save(update_fields=["first_name"])
    world.added_by_a_test = turn


def test_objects_that_attributes_share_stay_shared_in_the_copy(world):
    assert world.borrower is world.resident_desk  # one resident under two names in the world
    world.borrower.first_name = "Other"
    assert world.resident_desk.first_name == "Other"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_gets_its_own_committed_world(world):
    assert not connection.in_atomic_block
    assert Resident.objects.filter(pk=world.resident_a.pk).exists()
