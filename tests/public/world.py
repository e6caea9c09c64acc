"""The public site in the test world: in each network a public text, a volunteer application,
a donation offer (the inbox objects the authorization walk opens) and a booking made on the
site (its cancellation link). The copies in ``other`` say "Zegers"."""

import datetime
import uuid

from digibank.digipunten import messages
from digibank.digipunten.models import Appointment
from digibank.messaging.models import MessageStatus, OutboundMessage
from digibank.public import services
from digibank.public.models import DonationOffer, VolunteerApplication


def _apply(network, *, name: str) -> VolunteerApplication:
    submission, _created = services.volunteer_apply(
        network=network,
        token=uuid.uuid4(),
        data={
            "name": name,
            "email": "vrijwilliger@example.org",
            "phone": "",
            "roles": ["digihelper"],
            "languages": ["nl", "ar"],
            "availability": ["weekday_afternoon"],
            "motivation": "Ik help graag.",
            "consent": True,
        },
        language="nl",
        send_messages=False,  # no notifications or e-mails in the shared world
    )
    return VolunteerApplication.objects.get(pk=submission.object_id)


def _offer(network, *, company: str) -> DonationOffer:
    submission, _created = services.donation_offer_submit(
        network=network,
        token=uuid.uuid4(),
        data={
            "donor_kind": "organisation",
            "organisation_name": company,
            "name": "Dirk Donateur",
            "email": "it@example.com",
            "phone": "016 12 34 56",
            "device_count": 12,
            "device_kinds": ["laptop"],
            "handover": "pickup",
            "postcode": "3000",
            "consent": True,
        },
        language="nl",
        send_messages=False,
    )
    return DonationOffer.objects.get(pk=submission.object_id)


def _web_booking(network, *, session, starts_at, name: str):
    submission, _created = services.booking_submit(
        network=network,
        token=uuid.uuid4(),
        session=session,
        starts_at=starts_at,
        name=name,
        phone="0470 00 00 00",
        email="",
        language="nl",
    )
    appointment = Appointment.objects.get(pk=submission.object_id)
    # As if the worker had sent the confirmation: the tests' own sends see only their own messages.
    keys = [messages.message_key(appointment, kind) for kind in messages.MessageKind.values]
    OutboundMessage.objects.filter(idempotency_key__in=keys).update(status=MessageStatus.SENT)
    return appointment


def extend_world(w):
    w.volunteer_application = _apply(w.leuven, name="Vera Vrijwilliger")
    w.donation_offer = _offer(w.leuven, company="Bedrijf Donatie NV")
    services.public_text_save(
        network=w.leuven, key="welcome", language="nl", text="Welkom in Leuven.", actor=None
    )
    w.volunteer_application_other = _apply(w.other, name="Zoë Zegers")
    w.donation_offer_other = _offer(w.other, company="Zegers BV")
    services.public_text_save(
        network=w.other, key="welcome", language="nl", text="Welkom bij Zegers.", actor=None
    )
    # Web bookings ten weeks after the digipunten world's appointment, so the slots the digipunten
    # and booking tests count stay as they were.
    week = datetime.timedelta(weeks=10)
    w.web_booking = _web_booking(
        w.leuven, session=w.session, starts_at=w.appointment.slot.starts_at + week, name="Wim Webboeker"
    )
    w.web_booking_other = _web_booking(
        w.other,
        session=w.session_other,
        starts_at=w.appointment_other.slot.starts_at + week,
        name="Zegers Web",
    )
