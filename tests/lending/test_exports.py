"""The loan list and waiting list as CSV and XLSX: filters, scoping, audit, permissions, queries."""

import datetime

import pytest
from django.urls import reverse

from digibank.audit.models import AuditEntry
from digibank.lending.models import Loan
from digibank.lending.services import loan_create, waiting_add
from digibank.residents.models import Resident
from tests import factories as f
from tests.downloads import column, rows_of

from .helpers import ready_device
from .world import EXCEPTION


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_loan_export_has_the_filtered_loans_of_the_network_only(world, client_for, fmt):
    response = client_for(world.desk).get(reverse("lending:loans_export"), {"show": "active", "format": fmt})
    rows = rows_of(response)
    assert rows[0][:3] == ["Agreement", "Kind", "Resident"]
    assert column(rows, "Agreement") == [world.loan.number]
    assert column(rows, "Resident") == [world.borrower.full_name]
    assert "Zegers" not in str(rows)
    handed_over = column(rows, "Handed over on")[0]
    if fmt == "xlsx":
        assert isinstance(handed_over, datetime.datetime) and handed_over.date() == world.loan.started_on
    else:
        assert handed_over == world.loan.started_on.strftime("%d/%m/%Y")
    returned = rows_of(client_for(world.desk).get(reverse("lending:loans_export"), {"show": "returned"}))
    assert len(returned) == 1  # only the header: no loan came back


def test_the_loan_export_is_audited_as_an_export_of_each_resident(world, client_for):
    client_for(world.desk).get(reverse("lending:loans_export"))
    entry = AuditEntry.objects.get(action="export", subject_id=world.borrower.pk)
    assert (entry.actor, entry.network_id) == (world.desk, world.leuven.pk)
    assert entry.source.startswith(reverse("lending:loans_export"))


def test_a_formula_in_a_name_is_disarmed(world, client_for):
    Resident.objects.filter(pk=world.borrower.pk).update(first_name="=HYPERLINK(1)")
    rows = rows_of(client_for(world.desk).get(reverse("lending:loans_export"), {"format": "xlsx"}))
    assert column(rows, "Resident")[0].startswith("'=HYPERLINK(1)")


def test_the_waiting_list_export_follows_the_queue_and_the_kind_filter(world, client_for):
    first = f.ResidentFactory(network=world.leuven, first_name="Wout", last_name="Wachter")
    second = f.ResidentFactory(network=world.leuven, first_name="Tine", last_name="Tablet")
    waiting_add(resident=first, category=world.category, device_kind="laptop", actor=None, **EXCEPTION)
    waiting_add(resident=second, category=world.category, device_kind="tablet", actor=None, **EXCEPTION)
    client = client_for(world.coordinator)
    rows = rows_of(client.get(reverse("lending:waiting_export"), {"format": "xlsx"}))
    assert "Wout Wachter" in column(rows, "Resident") and "Tine Tablet" in column(rows, "Resident")
    assert all(isinstance(place, int) for place in column(rows, "Place"))
    rows = rows_of(client.get(reverse("lending:waiting_export"), {"kind": "tablet"}))
    assert column(rows, "Resident") == ["Tine Tablet"] and column(rows, "Place") == ["1"]
    assert "Zegers" not in str(rows)
    assert AuditEntry.objects.filter(action="export", subject_id=second.pk).exists()


def test_roles_without_loan_view_get_403_and_another_network_sees_none_of_these_loans(world, client_for):
    for name in ("lending:loans_export", "lending:waiting_export"):
        for actor in (world.volunteer, world.partner_a, world.steering, world.digipunt):
            assert client_for(actor).get(reverse(name)).status_code == 403, (name, actor)
    rows = rows_of(client_for(world.outsider).get(reverse("lending:loans_export")))
    assert column(rows, "Agreement") == [world.loan_other.number]
    assert world.borrower.full_name not in str(rows)


def test_the_loan_export_runs_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("lending:loans_export"), {"show": "all", "format": "xlsx"})
    for n in range(3):
        device = ready_device(world.leuven, tag=f"LNT-09{n}", model="X250", serial=f"QSN{n}")
        loan_create(resident=f.ResidentFactory(network=world.leuven), device=device, actor=None, **EXCEPTION)
    with django_assert_max_num_queries(len(before.captured_queries)):
        rows = rows_of(client.get(reverse("lending:loans_export"), {"show": "all", "format": "xlsx"}))
    assert len(rows) == 1 + Loan.objects.filter(network=world.leuven).count() == 5


def test_the_lists_link_to_their_exports_with_the_current_filter(world, client_for):
    client = client_for(world.desk)
    body = client.get(reverse("lending:loans"), {"show": "overdue"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"{reverse('lending:loans_export')}?show=overdue&amp;format=xlsx" in body
    body = client.get(reverse("lending:waiting"), {"kind": "tablet"}).content.decode()
    assert f"{reverse('lending:waiting_export')}?kind=tablet&amp;format=csv" in body


def test_the_waiting_list_export_runs_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.desk)
    first = f.ResidentFactory(network=world.leuven)
    waiting_add(resident=first, category=world.category, device_kind="laptop", actor=None, **EXCEPTION)
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("lending:waiting_export"))
    for _n in range(3):
        resident = f.ResidentFactory(network=world.leuven)
        waiting_add(resident=resident, category=world.category, device_kind="laptop", actor=None, **EXCEPTION)
    with django_assert_max_num_queries(len(before.captured_queries)):
        rows = rows_of(client.get(reverse("lending:waiting_export")))
    assert len(rows) == 5
