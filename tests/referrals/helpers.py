"""Small builders for the referral tests (through the services, so the rules apply)."""

from digibank.catalogue.models import Service, ServiceKind
from digibank.referrals import services


def make_request(w, *, resident=None, referred_by=None, consent=True, actor=None, channel=None, **kwargs):
    referred_by = w.org_a if referred_by is None and channel in (None, "partner") else referred_by
    return services.request_create(
        network=w.leuven,
        resident=resident or w.resident_a,
        needs=kwargs.pop("needs", ["device"]),
        channel=channel or "partner",
        referred_by=referred_by,
        consent_to_share=consent,
        actor=actor or w.partner_a,
        **kwargs,
    )


def refer(w, request, *service_list, actor=None, **kwargs):
    return services.request_refer(
        request=request, services=list(service_list or [w.service_course]), actor=actor or w.desk, **kwargs
    )


def make_service(w, name, *, organisation=None, kind=ServiceKind.OTHER, **kwargs):
    return Service.objects.create(
        network=w.leuven, name=name, kind=kind, organisation=organisation or w.org_c, **kwargs
    )


def move(referral, *statuses, actor, reason="because"):
    for status in statuses:
        referral = services.referral_transition(
            referral=referral, to_status=status, actor=actor, reason=reason
        )
    return referral
