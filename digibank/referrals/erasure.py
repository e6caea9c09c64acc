"""What an erasure of a resident blanks in requests and referrals (residents.services.erasure_step).

Free texts may hold anything about the person, so they go; statuses, dates, services and
organisations stay, so the figures (days to first referral, outcomes per partner) still count.
"""

from django.utils.translation import gettext as _

from digibank.residents.services import erasure_step

from .models import InternetTariffApplication, Referral, ReferralNote, Request


@erasure_step
def erase_requests_and_referrals(resident) -> None:
    requests = Request.objects.in_network(resident.network_id).filter(resident=resident)
    requests.update(description="", closed_reason="")
    referrals = Referral.objects.in_network(resident.network_id).filter(request__in=requests)
    referrals.update(handover_contact="", outcome_reason="")
    ReferralNote.objects.in_network(resident.network_id).filter(referral__in=referrals).update(
        text=_("(erased)")
    )
    InternetTariffApplication.objects.in_network(resident.network_id).filter(resident=resident).update(
        notes="", eligibility_basis=""
    )
