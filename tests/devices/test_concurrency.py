"""Concurrent writes on PostgreSQL: row locks and unique constraints keep the lifecycle consistent.

These need real concurrent transactions, which SQLite does not give: they run in `.ci/run`
against PostgreSQL and are skipped on SQLite.
"""

import threading

import pytest
from django.db import close_old_connections, connection

from digibank.devices import services
from digibank.devices.lifecycle import DeviceStatus as S
from digibank.devices.models import Device, DeviceEvent

from ..factories import NetworkFactory, UserFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")


def run_at_once(*jobs):
    """Run the jobs in threads released together; returns their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_transitions_from_the_same_state_only_one_succeeds():
    network = NetworkFactory(slug="concurrent")
    desk_a, desk_b = UserFactory(username="desk-a"), UserFactory(username="desk-b")
    device = services.device_register(network=network, actor=desk_a, data={"kind": "laptop"})

    def start_wipe(actor):
        # Each thread holds its own stale copy that still says "received".
        stale = Device.objects.get(pk=device.pk)
        return services.device_transition(device=stale, to_status=S.WIPING, actor=actor, reason="race")

    results = run_at_once(lambda: start_wipe(desk_a), lambda: start_wipe(desk_b))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], services.TransitionError), results
    assert Device.objects.get(pk=device.pk).status == S.WIPING
    moves = DeviceEvent.objects.filter(device=device).exclude(from_status="")
    assert [(e.from_status, e.to_status) for e in moves] == [(S.RECEIVED, S.WIPING)]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_desks_registering_at_once_get_different_tags():
    network = NetworkFactory(slug="tags")
    users = [UserFactory(username=f"desk-{i}") for i in range(4)]
    jobs = [
        (lambda user=user: services.device_register(network=network, actor=user, data={"kind": "laptop"}))
        for user in users
    ]
    results = run_at_once(*jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    tags = sorted(d.asset_tag for d in results)
    assert tags == ["TAG-000001", "TAG-000002", "TAG-000003", "TAG-000004"]
