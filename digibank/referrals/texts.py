"""What the referral flow says to people: timeline lines, notifications, messages to residents.

Each function is called inside the language of whoever reads it (notifications.services sets
it per user and per resident). Staff notifications never name the resident: they say which
request and which service, and link to the page where the name is shown to those who may see it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Referral, ReferralStatus, Request


def request_url(request: Request) -> str:
    return reverse("referrals:detail", kwargs={"pk": request.pk})


def referral_url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", kwargs={"pk": referral.pk})


# --- the resident's timeline -----------------------------------------------------------------


def timeline_request_received(request: Request) -> str:
    return _("Request %(reference)s received: %(needs)s") % {
        "reference": request.reference,
        "needs": ", ".join(request.need_labels()),
    }


def timeline_referred(referral: Referral) -> str:
    return _("Request %(reference)s referred to %(service)s (%(organisation)s)") % {
        "reference": referral.request.reference,
        "service": referral.service.name,
        "organisation": referral.service.organisation.name,
    }


def timeline_changed(referral: Referral) -> str:
    return _("Referral of %(reference)s to %(service)s: %(status)s") % {
        "reference": referral.request.reference,
        "service": referral.service.name,
        "status": referral.get_status_display(),
    }


def timeline_consent(request: Request) -> str:
    if request.consent_to_share:
        return _("Request %(reference)s: consent to share with receiving partners given") % {
            "reference": request.reference
        }
    return _("Request %(reference)s: consent to share with receiving partners withdrawn") % {
        "reference": request.reference
    }


def timeline_closed(request: Request) -> str:
    return _("Request %(reference)s closed: %(reason)s") % {
        "reference": request.reference,
        "reason": request.closed_reason,
    }


def timeline_reopened(request: Request) -> str:
    return _("Request %(reference)s reopened") % {"reference": request.reference}


def closed_all_done() -> str:
    return _("Every referral is done.")


# --- staff notifications ---------------------------------------------------------------------


def assigned(request: Request) -> str:
    return _("Request %(reference)s is assigned to you.") % {"reference": request.reference}


def request_closed(request: Request) -> str:
    return _("Request %(reference)s is closed.") % {"reference": request.reference}


def referral_changed(referral: Referral) -> str:
    if referral.status == ReferralStatus.SENT:
        return _("New referral: request %(reference)s to %(service)s (%(organisation)s).") % {
            "reference": referral.request.reference,
            "service": referral.service.name,
            "organisation": referral.to_organisation.name,
        }
    return _("Referral of %(reference)s to %(service)s (%(organisation)s) is now: %(status)s.") % {
        "reference": referral.request.reference,
        "service": referral.service.name,
        "organisation": referral.to_organisation.name,
        "status": referral.get_status_display(),
    }


def contact_by_hand(referral: Referral, channel: str) -> str:
    values = {"service": referral.service.name, "status": referral.get_status_display()}
    if channel == "phone":
        return (
            _(
                "The resident prefers the phone: call them to tell them that the referral to %(service)s "
                "is now “%(status)s”."
            )
            % values
        )
    return (
        _(
            "The resident prefers letters: a letter that the referral to %(service)s is now "
            "“%(status)s” waits in the outbox to be printed."
        )
        % values
    )


# --- residents (plain language, short enough for an SMS) -------------------------------------


def _network_contact(referral: Referral) -> str:
    network = referral.request.network
    return network.contact_phone or network.contact_email or network.name


def for_resident(referral: Referral) -> tuple[str, str]:
    """(subject, text) for the resident, on "sent", "accepted" and "done"."""
    request = referral.request
    values = {
        "name": request.resident.first_name,
        "service": referral.service.name,
        "organisation": referral.to_organisation.name,
        "reference": request.reference,
        "contact": _network_contact(referral),
    }
    if referral.status == ReferralStatus.ACCEPTED:
        text = _(
            "Hello %(name)s, %(organisation)s will help you with: %(service)s. They will contact you. "
            "Questions? %(contact)s (request %(reference)s)"
        )
    elif referral.status == ReferralStatus.DONE:
        text = _(
            "Hello %(name)s, %(service)s with %(organisation)s is done. Do you need more help? "
            "%(contact)s (request %(reference)s)"
        )
    else:
        text = _(
            "Hello %(name)s, we asked %(organisation)s to help you with: %(service)s. They will contact "
            "you. Questions? %(contact)s (request %(reference)s)"
        )
    subject = _("Your request %(reference)s") % values
    return subject, text % values
