"""Property-based: random sequences of lifecycle actions keep the device inside the table.

A hypothesis state machine drives one device through random transitions (allowed or not),
data wipes and quality checks, all through ``device_transition`` and the services. After
every step: the status is a DeviceStatus, every recorded event is a move of the table, the
events replay to the current status, a refused move changed nothing, and a device that came
back (returned) never became ready without a successful wipe after its return.
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from digibank.devices import services
from digibank.devices.lifecycle import TRANSITIONS, DeviceStatus
from digibank.devices.models import Device, DeviceEvent

from ..factories import NetworkFactory, UserFactory
from .helpers import check, wipe

S = DeviceStatus


def replay(device: Device) -> DeviceStatus:
    """The status the recorded history leads to, checking every step against the table."""
    events = list(DeviceEvent.objects.filter(device=device).order_by("at", "pk"))
    assert events and events[0].from_status == "" and events[0].to_status == S.RECEIVED
    status = S.RECEIVED
    for event in events[1:]:
        assert event.from_status == status, "an event starts where the previous one ended"
        assert S(event.to_status) in TRANSITIONS[status], f"{status} -> {event.to_status} is not in the table"
        status = S(event.to_status)
    return status


class DeviceLifecycle(RuleBasedStateMachine):
    network = None
    actor = None

    @initialize()
    def register(self):
        self.device = services.device_register(
            network=self.network, actor=self.actor, data={"kind": "laptop"}
        )
        # The model: has a successful wipe been recorded since the device last came in?
        self.wiped_since_in = False
        self.checked_since_wipe = False

    @rule(to_status=st.sampled_from(list(S)))
    def any_transition(self, to_status):
        """Any status at all: most are refused."""
        self._transition(to_status)

    @rule(data=st.data())
    def allowed_transition(self, data):
        """One of the table's next statuses, so random walks also reach loans, returns and retirement."""
        allowed = sorted(TRANSITIONS[S(self.device.status)])
        if allowed:
            self._transition(data.draw(st.sampled_from(allowed)))

    def _transition(self, target):
        before = Device.objects.get(pk=self.device.pk)
        events_before = DeviceEvent.objects.filter(device=self.device).count()
        allowed = target in TRANSITIONS[S(before.status)]
        try:
            services.device_transition(
                device=self.device, to_status=target, actor=self.actor, reason="hypothesis"
            )
        except services.TransitionError:
            after = Device.objects.get(pk=self.device.pk)
            assert (after.status, after.status_changed_at) == (before.status, before.status_changed_at)
            assert DeviceEvent.objects.filter(device=self.device).count() == events_before
            # Refused only when the table forbids it, or when ready lacks its wipe and check.
            assert not allowed or (
                target == S.READY and not (self.wiped_since_in and self.checked_since_wipe)
            )
            return
        assert allowed
        if target == S.READY:
            assert self.wiped_since_in and self.checked_since_wipe, (
                "ready without a wipe and a check after it"
            )
        if target == S.RETURNED:
            self.wiped_since_in = self.checked_since_wipe = False

    @rule(succeeded=st.booleans())
    def record_wipe(self, succeeded):
        wipe(self.device, self.actor, succeeded=succeeded)
        if succeeded:
            self.wiped_since_in = True
            self.checked_since_wipe = False

    @rule(passed=st.booleans())
    def record_check(self, passed):
        check(self.device, self.actor, passed=passed)
        if passed and self.wiped_since_in:
            self.checked_since_wipe = True

    @invariant()
    def status_is_in_the_table_and_the_history_replays_to_it(self):
        if not hasattr(self, "device"):
            return
        stored = Device.objects.get(pk=self.device.pk)
        assert stored.status in S.values
        assert replay(stored) == stored.status == self.device.status


@pytest.mark.django_db
def test_random_lifecycles_stay_in_the_table_and_replay_to_the_status():
    DeviceLifecycle.network = NetworkFactory(name="Hypothesis", slug="hypothesis")
    DeviceLifecycle.actor = UserFactory(username="hypo")
    run_state_machine_as_test(
        DeviceLifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
