"""Who sees which request and referral, and what they see of the resident (consent rules)."""

import pytest
from django.urls import reverse

from digibank.networks.models import Membership
from digibank.referrals import services
from digibank.referrals.models import Referral, Request
from digibank.residents.models import ResidentAccess

from .helpers import make_request, make_service, refer


def membership(world, actor):
    return Membership.objects.get(user=getattr(world, actor), network=world.leuven)


@pytest.mark.parametrize(
    ("actor", "sees"),
    [
        ("coordinator", True),
        ("desk", True),
        ("digipunt", True),
        ("partner_a", True),  # referred it
        ("partner_c", True),  # received it
        ("partner_b", False),
        ("provider", False),
        ("volunteer", False),
        ("steering", False),
    ],
)
def test_request_and_referral_visibility_follows_the_role(world, actor, sees):
    m = membership(world, actor)
    assert Request.objects.visible_to(m).filter(pk=world.request_a.pk).exists() is sees
    assert Referral.objects.visible_to(m).filter(pk=world.referral_a.pk).exists() is sees


def test_nobody_in_leuven_sees_the_other_network(world):
    for actor in ["coordinator", "desk", "partner_a"]:
        assert (
            not Request.objects.visible_to(membership(world, actor))
            .filter(pk=world.request_other.pk)
            .exists()
        )


@pytest.mark.parametrize(
    "name",
    ["referrals:detail", "referrals:referral_detail"],
)
def test_partner_b_and_the_other_network_get_404(world, client_for, name):
    pk = world.request_a.pk if name == "referrals:detail" else world.referral_a.pk
    url = reverse(name, kwargs={"pk": pk})
    assert client_for(world.partner_b).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("referrals:referral_status", {"status-to_status": "accepted"}),
        ("referrals:referral_note", {"note-text": "hello", "note-visibility": "all"}),
        ("referrals:referral_follow_up", {"followup-follow_up_on": "2099-01-01"}),
    ],
)
def test_partner_b_cannot_touch_partner_as_referrals(world, client_for, name, data):
    response = client_for(world.partner_b).post(reverse(name, kwargs={"pk": world.referral_a.pk}), data)
    assert response.status_code == 404
    world.referral_a.refresh_from_db()
    assert world.referral_a.status == "sent" and not world.referral_a.notes.filter(text="hello").exists()


def test_a_receiving_partner_sees_only_the_referrals_to_their_organisation(world, client_for):
    other = refer(
        world,
        world.request_a,
        make_service(world, "Help at org B", organisation=world.org_b),
    )[0]
    text = (
        client_for(world.partner_c)
        .get(reverse("referrals:detail", kwargs={"pk": world.request_a.pk}))
        .content
    )
    assert b"Help at org B" not in text
    assert (
        client_for(world.partner_c)
        .get(reverse("referrals:referral_detail", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )
    # org B now sees that referral, and (consent) the resident
    assert (
        client_for(world.partner_b)
        .get(reverse("referrals:referral_detail", kwargs={"pk": other.pk}))
        .status_code
        == 200
    )


def test_with_consent_the_receiver_sees_the_resident_and_may_open_their_page(world, client_for):
    text = (
        client_for(world.partner_c)
        .get(reverse("referrals:referral_detail", kwargs={"pk": world.referral_a.pk}))
        .content.decode()
    )
    assert "Amira Aerts" in text
    resident_page = reverse("residents:detail", kwargs={"pk": world.resident_a.pk})
    assert client_for(world.partner_c).get(resident_page).status_code == 200


def test_without_consent_the_receiver_sees_the_first_name_and_the_hand_over_route_only(world, client_for):
    service = make_service(world, "Help hours (test)", kind="help_hours", requires_consent=False)
    resident = world.resident_desk  # registered by the desk: org C has no access of its own
    request = make_request(
        world,
        resident=resident,
        consent=False,
        channel="phone",
        actor=world.desk,
        description="Lives at Secretstraat 1",
    )
    [referral] = refer(world, request, service, handover_contact="The resident will call you")
    assert not ResidentAccess.objects.filter(resident=resident, organisation=world.org_c).exists()
    text = (
        client_for(world.partner_c)
        .get(reverse("referrals:referral_detail", kwargs={"pk": referral.pk}))
        .content.decode()
    )
    assert "Bart" in text and "Bosmans" not in text
    assert "The resident will call you" in text
    assert "Secretstraat" not in text
    assert (
        client_for(world.partner_c).get(reverse("residents:detail", kwargs={"pk": resident.pk})).status_code
        == 404
    )


def test_a_service_that_needs_consent_is_refused_without_it(world):
    request = make_request(
        world, resident=world.resident_desk, consent=False, channel="phone", actor=world.desk
    )
    with pytest.raises(services.ReferralRefused, match="needs the resident's consent"):
        refer(world, request, world.service_course)
    assert not Referral.objects.filter(request=request).exists()


def test_the_referring_partner_always_sees_their_own_resident(world, client_for):
    request = make_request(world, consent=False)
    text = (
        client_for(world.partner_a)
        .get(reverse("referrals:detail", kwargs={"pk": request.pk}))
        .content.decode()
    )
    assert "Amira Aerts" in text


def test_withdrawing_consent_takes_away_the_access_the_referral_gave(world):
    assert ResidentAccess.objects.filter(resident=world.resident_a, organisation=world.org_c).exists()
    services.request_set_consent(request=world.request_a, consent_to_share=False, actor=world.desk)
    assert not ResidentAccess.objects.filter(resident=world.resident_a, organisation=world.org_c).exists()
    # the referring organisation keeps its access
    assert ResidentAccess.objects.filter(resident=world.resident_a, organisation=world.org_a).exists()
    services.request_set_consent(request=world.request_a, consent_to_share=True, actor=world.desk)
    assert ResidentAccess.objects.filter(resident=world.resident_a, organisation=world.org_c).exists()


def test_the_consent_form_records_consent_and_an_empty_post_changes_nothing(world, client_for):
    url = reverse("referrals:consent", kwargs={"pk": world.request_a.pk})
    client = client_for(world.desk)
    client.post(url, {})
    world.request_a.refresh_from_db()
    assert world.request_a.consent_to_share is True
    client.post(url, {"consent-consent_to_share": "no"})
    world.request_a.refresh_from_db()
    assert world.request_a.consent_to_share is False


def test_the_resident_data_on_a_request_page_is_audited(world, client_for):
    from digibank.audit.models import AuditEntry

    client_for(world.partner_c).get(reverse("referrals:detail", kwargs={"pk": world.request_a.pk}))
    entry = AuditEntry.objects.filter(
        actor=world.partner_c, subject_kind="resident", subject_id=world.resident_a.pk
    ).latest("pk")
    assert entry.action == "view" and "last_name" in entry.fields
