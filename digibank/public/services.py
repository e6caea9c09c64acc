"""Writes of the public site: what residents send, and how the team handles it.

Every public form is stored first, in one transaction with its one-time token
(``submission_once``): a second POST of the same form finds the first one and creates nothing.
The acknowledgements are queued in the outbox (digibank.messaging): sent after that
transaction commits, retried when the mail server fails — the submission stays.

Help requests and bookings are not ours: they go through referrals.services.request_create
(channel "web") and digipunten.services.appointment_book (channel "web").
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from digibank.catalogue.models import Channel
from digibank.devices.donations import services as donations
from digibank.devices.models import DonorKind
from digibank.digipunten.models import BookingChannel
from digibank.digipunten.services import appointment_book, appointment_cancel
from digibank.messaging.models import MessageChannel, RecipientKind
from digibank.messaging.services import message_queue
from digibank.networks.models import Membership
from digibank.networks.roles import PERMISSIONS
from digibank.notifications.services import notify
from digibank.referrals.services import request_create
from digibank.residents.models import ContactChannel, LegalBasis

from .models import (
    APPLICATION_TRANSITIONS,
    OFFER_TRANSITIONS,
    ApplicationStatus,
    DonationOffer,
    FormKind,
    FormSubmission,
    OfferDonorKind,
    OfferStatus,
    PublicText,
    ReferenceSequence,
    TextKey,
    VolunteerApplication,
)

logger = logging.getLogger(__name__)

NOTE_LENGTH = 2000


def _network_id(network) -> int:
    return getattr(network, "pk", network)


def _text(value, length: int = 200) -> str:
    return " ".join((value or "").split())[:length]


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- references and one-time tokens --------------------------------------------------------------


def reference_next(*, network_id: int, prefix: str, year: int | None = None) -> str:
    """V2026-00001, V2026-00002 … per network, prefix and year, under a row lock."""
    year = year or timezone.localdate().year
    ReferenceSequence.objects.get_or_create(network_id=network_id, prefix=prefix, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(
        network_id=network_id, prefix=prefix, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{year}-{sequence.last:05d}"


def submission_once(
    *, network, token: uuid.UUID, kind: str, create: Callable[[], tuple[str, int]]
) -> tuple[FormSubmission, bool]:
    """Run ``create`` (which stores the record and returns its reference and id) once per token.

    Returns (submission, created). The token row is inserted first: a second POST of the same
    form waits for the first transaction on the unique constraint, then finds its row and
    returns it with created False. When ``create`` raises, nothing is kept and the token is free.
    """
    network_id = _network_id(network)
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(network_id=network_id, token=token, kind=kind)
        except IntegrityError:
            return FormSubmission.objects.get(network_id=network_id, token=token), False
        reference, object_id = create()
        submission.reference, submission.object_id = reference, object_id
        submission.save(update_fields=["reference", "object_id"])
    return submission, True


def _mail_queue(
    *, network_id: int, to: str, template: str, context: dict, language: str, kind: str, recipient_id: int
) -> None:
    """Queue the acknowledgement in the outbox, rendered now in the visitor's language; the outbox
    sends it after commit and retries a failing mail server (the submission is stored anyway)."""
    if not to:
        return
    language = (
        language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE
    )
    message_queue(
        network_id=network_id,
        recipient_kind=kind,
        recipient_id=recipient_id,
        channel=MessageChannel.EMAIL,
        to=to,
        template_key=f"public/email/{template}",
        language=language,
        context=context,
        typed_by_visitor=True,
    )


def _notify_inbox(*, network_id: int, text: Callable[[], str], url: str) -> None:
    """Tell the coordinators and the service desk that something arrived (no personal data)."""

    roles = sorted(PERMISSIONS["public.inbox"][0])
    members = (
        Membership.objects.in_network(network_id)
        .active()
        .filter(role__in=roles, user__is_active=True)
        .select_related("user")
    )
    notify(network_id=network_id, users=[m.user for m in members], text=text, url=url)


# --- help requests ---------------------------------------------------------------------------------


def help_request_submit(
    *, network, token: uuid.UUID, data: dict, language: str
) -> tuple[FormSubmission, bool]:
    """ "I need help / I need a computer": a new resident and a request in the triage queue.

    ``data``: needs, description, first_name, last_name, birth_year, postcode, phone, email,
    language (the one they speak best), consent. The duplicate check is for the desk, not for
    the public: a likely duplicate is registered anyway and merged at triage.
    """

    if not data.get("consent"):
        raise ValidationError({"consent": _("Tick the box to agree, so that we can help you.")})
    phone, email = _text(data.get("phone"), 40), _text(data.get("email"), 254)
    if not (phone or email):
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    resident_data = {
        "first_name": _text(data.get("first_name"), 100),
        "last_name": _text(data.get("last_name"), 100),
        "birth_year": data.get("birth_year"),
        "postcode": _text(data.get("postcode"), 4),
        "languages": data.get("language") or "",
        "phone": phone,
        "email": email,
        "preferred_channel": ContactChannel.PHONE if phone else ContactChannel.EMAIL,
        "legal_basis": LegalBasis.CONSENT,
        "consent_date": timezone.localdate(),
    }

    def create() -> tuple[str, int]:
        request = request_create(
            network=network,
            needs=data.get("needs") or [],
            channel=Channel.WEB,
            actor=None,
            resident_data=resident_data,
            description=(data.get("description") or "").strip()[:NOTE_LENGTH],
            consent_to_share=True,
            membership=None,
            allow_duplicate=True,
            source="public",
        )
        _mail_queue(
            network_id=request.network_id,
            to=email,
            template="help_received",
            context={"reference": request.reference, "network": network},
            language=language,
            kind=RecipientKind.RESIDENT,
            recipient_id=request.resident_id,
        )
        return request.reference, request.pk

    return submission_once(network=network, token=token, kind=FormKind.HELP, create=create)


# --- volunteers ------------------------------------------------------------------------------------


def volunteer_apply(
    *, network, token: uuid.UUID, data: dict, language: str, send_messages: bool = True
) -> tuple[FormSubmission, bool]:
    """Store a volunteer application; the inbox roles are notified, the applicant gets an e-mail
    (``send_messages`` False: neither, for the demo data)."""
    network_id = _network_id(network)
    application = VolunteerApplication(
        network_id=network_id,
        name=_text(data.get("name"), 150),
        email=_text(data.get("email"), 254),
        phone=_text(data.get("phone"), 40),
        languages=list(data.get("languages") or []),
        district_ids=[getattr(d, "pk", d) for d in data.get("districts") or []],
        availability=list(data.get("availability") or []),
        roles=list(data.get("roles") or []),
        motivation=(data.get("motivation") or "").strip()[:NOTE_LENGTH],
        site_language=language,
    )
    if not application.roles:
        raise ValidationError({"roles": _("Choose at least one way to help.")})
    if not (application.email or application.phone):
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    if not data.get("consent"):
        raise ValidationError({"consent": _("Tick the box to agree, so that we can contact you.")})

    def create() -> tuple[str, int]:
        return _store_and_announce(
            record=application,
            network=network,
            prefix="V",
            inbox_text=gettext_lazy(
                "A new volunteer application arrived on the public site (%(reference)s)."
            ),
            url_name="public:application",
            mail_template="volunteer_received",
            recipient_kind=RecipientKind.APPLICANT,
            language=language,
            send_messages=send_messages,
        )

    return submission_once(network=network, token=token, kind=FormKind.VOLUNTEER, create=create)


def _store_and_announce(
    *,
    record,
    network,
    prefix: str,
    inbox_text,
    url_name: str,
    mail_template: str,
    recipient_kind: str,
    language: str,
    send_messages: bool,
) -> tuple[str, int]:
    """Give a volunteer application or device offer its reference, store it, then tell the staff
    inbox and (on commit) the sender. Stored first: a failing mail loses nothing."""
    record.reference = reference_next(network_id=network.pk, prefix=prefix)
    record.full_clean(exclude=["network", "reference"], validate_constraints=False)
    record.save()
    reference = record.reference
    if send_messages:
        _notify_inbox(
            network_id=network.pk,
            text=lambda: str(inbox_text) % {"reference": reference},
            url=reverse(url_name, kwargs={"pk": record.pk}),
        )
        _mail_queue(
            network_id=network.pk,
            to=record.email,
            template=mail_template,
            context={"reference": reference, "network": network},
            language=language,
            kind=recipient_kind,
            recipient_id=record.pk,
        )
    return reference, record.pk


@transaction.atomic
def application_set_status(
    *, application: VolunteerApplication, status: str, actor, note: str = ""
) -> VolunteerApplication:
    """Move an application on (models.APPLICATION_TRANSITIONS) and keep the team's note."""
    application = VolunteerApplication.objects.select_for_update().get(pk=application.pk)
    if status != application.status and status not in APPLICATION_TRANSITIONS.get(application.status, ()):
        raise ValidationError(
            {
                "status": _("An application that is %(from)s cannot become %(to)s.")
                % {
                    "from": ApplicationStatus(application.status).label.lower(),
                    "to": ApplicationStatus(status).label.lower()
                    if status in ApplicationStatus.values
                    else status,
                }
            }
        )
    _apply_change(application, status=status, actor=actor, note=note)
    return application


def _apply_change(obj, *, status: str, actor, note: str) -> None:
    fields = []
    now = timezone.now()
    if status != obj.status:
        obj.status, obj.status_changed_at, obj.status_changed_by = status, now, actor
        fields += ["status", "status_changed_at", "status_changed_by"]
    note = (note or "").strip()
    if note:
        who = actor.get_full_name() or actor.get_username() if actor else ""
        line = f"{timezone.localtime(now):%d/%m/%Y %H:%M} {who}: {note}"
        obj.staff_notes = f"{obj.staff_notes}\n{line}".strip()[-10_000:]
        fields.append("staff_notes")
    if fields:
        obj.save(update_fields=fields)


# --- donation offers -------------------------------------------------------------------------------


def donation_offer_submit(
    *, network, token: uuid.UUID, data: dict, language: str, send_messages: bool = True
) -> tuple[FormSubmission, bool]:
    """Store an offer of devices for the service desk (messages as for volunteer_apply)."""
    network_id = _network_id(network)
    kind = data.get("donor_kind")
    offer = DonationOffer(
        network_id=network_id,
        donor_kind=kind,
        organisation_name=_text(data.get("organisation_name"), 200)
        if kind == OfferDonorKind.ORGANISATION
        else "",
        name=_text(data.get("name"), 150),
        email=_text(data.get("email"), 254),
        phone=_text(data.get("phone"), 40),
        device_count=data.get("device_count"),
        device_kinds=list(data.get("device_kinds") or []),
        handover=data.get("handover"),
        postcode=_text(data.get("postcode"), 4),
        message=(data.get("message") or "").strip()[:NOTE_LENGTH],
        site_language=language,
    )
    if kind == OfferDonorKind.ORGANISATION and not offer.organisation_name:
        raise ValidationError({"organisation_name": _("Give the name of the company or organisation.")})
    if not (offer.email or offer.phone):
        raise ValidationError({"phone": _("Give a phone number or an e-mail address.")})
    if not offer.device_kinds:
        raise ValidationError({"device_kinds": _("Choose at least one kind of device.")})
    if not data.get("consent"):
        raise ValidationError({"consent": _("Tick the box to agree, so that we can contact you.")})

    def create() -> tuple[str, int]:
        return _store_and_announce(
            record=offer,
            network=network,
            prefix="G",
            inbox_text=gettext_lazy("A new offer of devices arrived on the public site (%(reference)s)."),
            url_name="public:offer",
            mail_template="donation_received",
            recipient_kind=RecipientKind.DONOR,
            language=language,
            send_messages=send_messages,
        )

    return submission_once(network=network, token=token, kind=FormKind.DONATION, create=create)


@transaction.atomic
def offer_set_status(*, offer: DonationOffer, status: str, actor, note: str = "") -> DonationOffer:
    """Move an offer on (models.OFFER_TRANSITIONS); "received" goes through offer_receive."""
    offer = DonationOffer.objects.select_for_update().get(pk=offer.pk)
    if status == OfferStatus.RECEIVED and status != offer.status:
        raise ValidationError({"status": _("Register the devices as received with the button below.")})
    if status != offer.status and status not in OFFER_TRANSITIONS.get(offer.status, ()):
        raise ValidationError(
            {
                "status": _("An offer that is %(from)s cannot become %(to)s.")
                % {
                    "from": OfferStatus(offer.status).label.lower(),
                    "to": OfferStatus(status).label.lower() if status in OfferStatus.values else status,
                }
            }
        )
    _apply_change(offer, status=status, actor=actor, note=note)
    return offer


@transaction.atomic
def offer_receive(
    *, offer: DonationOffer, actor, received_on: datetime.date, expected_count: int | None = None, donor=None
) -> DonationOffer:
    """The devices of an offer came in: a donor (new, or ``donor``) and a donation batch are
    registered through the donations capability, and the offer is "received"."""

    offer = DonationOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == OfferStatus.RECEIVED:
        raise ValidationError(_("This offer was registered as received already."))
    if OfferStatus.RECEIVED not in OFFER_TRANSITIONS.get(offer.status, ()):
        raise ValidationError(_("Reopen this offer before you register the devices."))
    network = offer.network
    if donor is not None and donor.network_id != offer.network_id:
        raise ValidationError({"donor": _("Choose a donor of this network.")})
    if donor is None:
        is_person = offer.donor_kind == OfferDonorKind.PERSON
        donor = donations.donor_create(
            network=network,
            actor=actor,
            data={
                "kind": DonorKind.PERSON if is_person else DonorKind.ORGANISATION,
                "name": offer.name if is_person else offer.organisation_name,
                "contact_name": "" if is_person else offer.name,
                "email": offer.email,
                "phone": offer.phone,
            },
        )
    batch = donations.batch_create(
        network=network,
        actor=actor,
        data={
            "donor": donor,
            "received_on": received_on,
            "expected_count": expected_count if expected_count is not None else offer.device_count,
            "notes": _("From the public site, offer %(reference)s.") % {"reference": offer.reference},
        },
    )
    offer.donor, offer.batch = donor, batch
    offer.save(update_fields=["donor", "batch"])
    _apply_change(offer, status=OfferStatus.RECEIVED, actor=actor, note="")
    return offer


# --- booking help hours ------------------------------------------------------------------------------


def booking_submit(
    *,
    network,
    token: uuid.UUID,
    session,
    starts_at: datetime.datetime,
    name: str,
    phone: str,
    email: str,
    language: str,
    theme=None,
    notes: str = "",
) -> tuple[FormSubmission, bool]:
    """Book a place through digipunten.services.appointment_book (channel "web"); that service
    checks the slot and its places and sends the confirmation by e-mail or SMS."""

    network_id = _network_id(network)
    if session.network_id != network_id:
        raise ValidationError({"starts_at": _("Choose a time of this network.")})

    def create() -> tuple[str, int]:
        appointment = appointment_book(
            session=session,
            starts_at=starts_at,
            channel=BookingChannel.WEB,
            name=name,
            phone=phone,
            email=email,
            language=language,
            theme=theme,
            notes=notes,
        )
        return reference_next(network_id=network_id, prefix="A"), appointment.pk

    return submission_once(network=network, token=token, kind=FormKind.BOOKING, create=create)


def booking_cancel(*, appointment) -> None:
    """The resident cancels through the link: the place is free again (digipunten.services)."""

    if appointment.slot.starts_at <= timezone.now():
        raise ValidationError(_("This appointment has already started. Call the digipunt."))
    appointment_cancel(
        appointment=appointment, actor=None, reason=_("Cancelled by the resident on the website.")
    )


# --- texts ---------------------------------------------------------------------------------------------


@transaction.atomic
def public_text_save(*, network, key: str, language: str, text: str, actor) -> PublicText | None:
    """Write the network's text for ``key`` in ``language``; an empty text goes back to the default."""
    if key not in TextKey.values:
        raise ValidationError({"key": _("Unknown text.")})
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Unknown language.")})
    network_id = _network_id(network)
    text = (text or "").strip()
    rows = PublicText.objects.in_network(network_id).filter(key=key, language=language)
    if not text:
        rows.delete()
        return None
    row, _created = PublicText.objects.update_or_create(
        network_id=network_id,
        key=key,
        language=language,
        defaults={"text": text[:10_000], "updated_by": actor},
    )
    return row
