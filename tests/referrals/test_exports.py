"""The request list as CSV and XLSX: filters, partner scoping, names as the page shows them, audit."""

import pytest
from django.urls import reverse

from digibank.audit.models import AuditEntry
from tests.downloads import column, rows_of

from .helpers import make_request, make_service, refer


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_desk_exports_every_request_with_its_referrals(world, client_for, fmt):
    rows = rows_of(client_for(world.desk).get(reverse("referrals:list_export"), {"format": fmt}))
    assert column(rows, "Reference") == [world.request_a.reference]
    assert column(rows, "Resident") == [world.resident_a.full_name]
    assert column(rows, "Referred to") == ["Digidienst C – Computer course for beginners (test)"]
    assert column(rows, "Referrals") == (["1"] if fmt == "csv" else [1])
    assert "Zegers" not in str(rows)


def test_the_export_has_the_filters_of_the_list(world, client_for):
    other = make_request(world, channel="phone", referred_by=None, actor=world.desk)
    client = client_for(world.desk)
    rows = rows_of(client.get(reverse("referrals:list_export"), {"channel": "phone"}))
    assert column(rows, "Reference") == [other.reference]
    rows = rows_of(client.get(reverse("referrals:list_export"), {"reference": world.request_a.reference}))
    assert column(rows, "Reference") == [world.request_a.reference]


def test_a_partner_gets_only_their_requests_and_a_first_name_without_consent(world, client_for):
    hidden = make_request(world, consent=False, actor=world.desk, channel="phone", referred_by=None)
    refer(world, hidden, make_service(world, "Repair café (test)", requires_consent=False))
    rows = rows_of(client_for(world.partner_c).get(reverse("referrals:list_export")))
    names = dict(zip(column(rows, "Reference"), column(rows, "Resident"), strict=True))
    assert names[hidden.reference] == hidden.resident.first_name
    assert names[world.request_a.reference] == world.resident_a.full_name  # consent to share
    rows = rows_of(client_for(world.partner_b).get(reverse("referrals:list_export")))
    assert len(rows) == 1  # partner_b's organisation sent nor received any


def test_the_export_is_audited_and_closed_to_roles_without_request_view(world, client_for):
    client_for(world.desk).get(reverse("referrals:list_export"), {"format": "xlsx"})
    assert AuditEntry.objects.filter(
        action="export", subject_id=world.resident_a.pk, actor=world.desk
    ).exists()
    for actor in (world.volunteer, world.steering):
        assert client_for(actor).get(reverse("referrals:list_export")).status_code == 403
    rows = rows_of(client_for(world.outsider).get(reverse("referrals:list_export")))
    assert column(rows, "Reference") == [world.request_other.reference]


def test_the_request_export_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.desk)
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("referrals:list_export"))
    for _n in range(3):
        refer(world, make_request(world), world.service_course)
    with django_assert_max_num_queries(len(before.captured_queries)):
        rows = rows_of(client.get(reverse("referrals:list_export")))
    assert len(rows) == 5
