"""The loan agreement and the gift deed: the right names, serials and language."""

import datetime

import pytest
from django.urls import reverse

from digibank.audit.models import AuditEntry
from digibank.lending import documents, services

from ..factories import ResidentFactory
from .conftest import pdf_language, pdf_text
from .helpers import make_eligible, ready_device

START = datetime.date(2026, 3, 2)


def hand_over(world, *, languages, kind="loan", deposit_cents=2500):
    resident = ResidentFactory(
        network=world.leuven,
        first_name="Fatima",
        last_name="El Amrani",
        languages=languages,
        street="Diestsestraat 45",
        postcode="3000",
        city="Leuven",
    )
    make_eligible(resident)
    device = ready_device(world.leuven, brand="Dell", model="Latitude 5490", serial="CN-0ABC-123")
    return services.loan_create(
        resident=resident,
        device=device,
        actor=world.desk,
        kind=kind,
        started_on=START,
        due_on=datetime.date(2026, 9, 1) if kind == "loan" else None,
        deposit_cents=deposit_cents,
        condition_out="B – signs of use",
    )


@pytest.mark.parametrize(
    ("languages", "language", "month"),
    [
        ("", "nl", "september"),
        ("fr", "fr", "septembre"),
        ("en, nl", "en", "September"),
        ("tr, fr", "nl", "september"),
    ],
)
def test_the_agreement_names_parties_device_dates_and_deposit_in_the_residents_language(
    world, languages, language, month
):
    loan = hand_over(world, languages=languages)
    assert loan.language == language
    pdf = documents.loan_document_pdf(loan)
    text = pdf_text(pdf)
    assert pdf_language(pdf) == language
    for expected in (
        loan.number,
        "Iedereen Digitaal @ Leuven (test)",
        "Fatima El Amrani",
        "Diestsestraat 45",
        "3000 Leuven",
        loan.device.asset_tag,
        "Dell Latitude 5490",
        "CN-0ABC-123",
        f"1 {month} 2026",
        "25",
    ):
        assert expected in text, expected


def test_the_agreement_in_english_states_the_conditions_and_has_signature_lines(world):
    text = pdf_text(documents.loan_document_pdf(hand_over(world, languages="en")))
    assert "Loan agreement" in text
    assert "Do not sell" in text
    assert "we erase all data" in text
    assert "lost or stolen" in text
    assert "Signature:" in text and "Read and approved" in text


def test_the_gift_deed_says_the_resident_becomes_the_owner(world):
    gift = hand_over(world, languages="en", kind="gift", deposit_cents=0)
    text = pdf_text(documents.loan_document_pdf(gift))
    assert "Gift deed" in text and gift.number in text
    assert "owns the device" in text
    assert "CN-0ABC-123" in text and "Fatima El Amrani" in text
    assert "To be returned by" not in text


def test_the_agreement_page_serves_the_pdf_and_records_who_printed_it(world, client_for):
    loan = hand_over(world, languages="nl")
    response = client_for(world.desk).get(reverse("lending:loan_document", kwargs={"pk": loan.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{loan.number}.pdf" in response["Content-Disposition"]
    assert "CN-0ABC-123" in pdf_text(response.content)
    entry = AuditEntry.objects.filter(
        subject_kind="resident", subject_id=loan.resident.pk, actor=world.desk
    ).latest("pk")
    assert "street" in entry.fields


def test_the_agreement_of_another_network_is_not_found(world, client_for):
    response = client_for(world.desk).get(
        reverse("lending:loan_document", kwargs={"pk": world.loan_other.pk})
    )
    assert response.status_code == 404
