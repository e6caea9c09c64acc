"""Requests and referrals in the test world.

A third organisation receives the referral (org_c, worker partner_c), so partner_b never
legitimately sees resident_a ("Amira"): request_a is referred by org_a (partner_a) for
resident_a, with consent, and referred by the service desk to a course of org_c.
The other network has its own copy (resident_other, "Zegers").
"""

from digibank.catalogue.models import Service, ServiceKind
from digibank.referrals import services
from tests import factories as f


def extend_world(w):
    w.org_c = f.OrganisationFactory(network=w.leuven, name="Digidienst C")
    w.partner_c = f.UserFactory(username="partner_c", first_name="Partner_c")
    f.MembershipFactory(network=w.leuven, user=w.partner_c, role="partner_worker", organisation=w.org_c)
    w.service_course = Service.objects.create(
        network=w.leuven,
        name="Computer course for beginners (test)",
        kind=ServiceKind.COURSE,
        organisation=w.org_c,
        criteria=[],
    )
    w.service_laptop = Service.objects.create(
        network=w.leuven,
        name="Laptop loan (test)",
        kind=ServiceKind.DEVICE_LOAN,
        organisation=w.org_c,
        criteria=["increased_reimbursement", "referral"],
    )
    w.request_a = services.request_create(
        network=w.leuven,
        resident=w.resident_a,
        needs=["skills"],
        description="Wants to learn to use a computer",
        channel="partner",
        referred_by=w.org_a,
        consent_to_share=True,
        actor=w.partner_a,
    )
    [w.referral_a] = services.request_refer(request=w.request_a, services=[w.service_course], actor=w.desk)

    w.service_other = Service.objects.create(
        network=w.other, name="Cursus elders (test)", kind=ServiceKind.COURSE, organisation=w.org_other
    )
    w.request_other = services.request_create(
        network=w.other,
        resident=w.resident_other,
        needs=["device"],
        channel="partner",
        referred_by=w.org_other,
        consent_to_share=True,
        actor=w.outsider,
    )
    [w.referral_other] = services.request_refer(
        request=w.request_other, services=[w.service_other], actor=w.outsider
    )
