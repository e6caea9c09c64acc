"""Loads the demo networks: deterministic (seeded) and idempotent (natural keys).

Running it twice changes nothing: networks by slug, districts and organisations by name,
users by username, residents by name and year of birth. Residents are generated with
``random.Random(2022)`` from the fixed pools in data.py, so every machine gets the same demo.
"""

from __future__ import annotations

import datetime
import importlib
import random
import time
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from digibank.networks.models import District, Membership, Network
from digibank.networks.roles import Role
from digibank.organisations.models import ContactPerson, Organisation
from digibank.residents.models import (
    ContactChannel,
    EligibilityKind,
    EligibilityProof,
    LegalBasis,
    Resident,
    ResidentAccess,
    TimelineEntry,
    TimelineKind,
)

from . import data

SEED = 2022
LEUVEN_RESIDENTS = 300
DEMOSTAD_RESIDENTS = 24
FIRST_REGISTRATION = datetime.date(2022, 3, 1)
LAST_REGISTRATION = datetime.date(2025, 6, 30)


@dataclass
class NetworkSpec:
    network: dict
    districts: list
    district_weights: dict
    streets: dict
    organisations: list
    registering_partners: dict
    users: list
    resident_count: int
    seed: int
    shared_users: list = field(default_factory=list)


SPECS = [
    NetworkSpec(
        network=data.LEUVEN,
        districts=data.LEUVEN_DISTRICTS,
        district_weights=data.LEUVEN_DISTRICT_WEIGHTS,
        streets=data.LEUVEN_STREETS,
        organisations=data.LEUVEN_ORGANISATIONS,
        registering_partners=data.LEUVEN_REGISTERING_PARTNERS,
        users=data.LEUVEN_USERS,
        resident_count=LEUVEN_RESIDENTS,
        seed=SEED,
    ),
    NetworkSpec(
        network=data.DEMOSTAD,
        districts=data.DEMOSTAD_DISTRICTS,
        district_weights=data.DEMOSTAD_DISTRICT_WEIGHTS,
        streets=data.DEMOSTAD_STREETS,
        organisations=data.DEMOSTAD_ORGANISATIONS,
        registering_partners=data.DEMOSTAD_REGISTERING_PARTNERS,
        users=data.DEMOSTAD_USERS,
        resident_count=DEMOSTAD_RESIDENTS,
        seed=SEED + 1,
        shared_users=data.SHARED_USERS,
    ),
]


def demo_logins() -> list[dict]:
    """The demo log-ins (one per role and network), as printed by ``manage.py demo``."""
    login_url = settings.SITE_URL.rstrip("/") + reverse("accounts:login")
    rows = []
    with translation.override("en"):
        for spec in SPECS:
            for username, _first, _last, role, organisation in spec.users:
                rows.append(
                    {
                        "url": login_url,
                        "username": username,
                        "password": data.DEMO_PASSWORD,
                        "role": str(Role(role).label),
                        "organisation": organisation or "",
                        "network": spec.network["name"],
                    }
                )
    shared = {username for spec in SPECS for username, _role, _org in spec.shared_users}
    for row in rows:
        if row["username"] in shared and row["network"] == data.LEUVEN["name"]:
            row["network"] = f"{data.LEUVEN['name']} + {data.DEMOSTAD['name']}"
    return rows


@transaction.atomic
def demo_load(*, stdout=None) -> list[dict]:
    """Create or refresh both demo networks; returns the log-ins (see ``demo_logins``)."""
    password_hash = make_password(data.DEMO_PASSWORD)  # hashed once: hashing is the slow part
    users: dict[str, object] = {}
    for spec in SPECS:
        network = _network(spec)
        districts = _districts(network, spec)
        organisations = _organisations(network, spec)
        for username, first_name, last_name, role, organisation in spec.users:
            user = _user(username, first_name, last_name, password_hash)
            users[username] = user
            _membership(network, user, role, organisations.get(organisation))
        for username, role, organisation in spec.shared_users:
            _membership(network, users[username], role, organisations.get(organisation))
        created = _residents(network, spec, districts, organisations, users)
        if stdout is not None:
            stdout.write(
                f"{network.name}: {len(districts)} districts, {len(organisations)} organisations, "
                f"{Resident.objects.in_network(network).count()} residents ({created} new)\n"
            )
        _capabilities(network, stdout)
    return demo_logins()


# Each capability adds its own demo data (digibank/<app>/demo.py: demo_load). Order matters:
# services before referrals, devices (with their donations) before lending, lending before referrals.
CAPABILITY_DEMOS = ["catalogue", "devices", "lending", "referrals", "digipunten", "public"]


def _capabilities(network: Network, stdout) -> None:
    role_users = {}
    for membership in Membership.objects.in_network(network).active().select_related("user").order_by("pk"):
        role_users.setdefault(membership.role, membership.user)
    for app in CAPABILITY_DEMOS:
        module = importlib.import_module(f"digibank.{app}.demo")
        # One seeded generator per network and capability: deterministic whatever the others draw.
        started = time.monotonic()
        module.demo_load(network=network, rng=random.Random(f"{network.slug}:{app}"), users=role_users)
        if stdout is not None:
            stdout.write(f"  {app}: {time.monotonic() - started:.1f} s\n")


def _network(spec: NetworkSpec) -> Network:
    values = spec.network
    network, _created = Network.objects.update_or_create(
        slug=values["slug"],
        defaults={
            "name": values["name"],
            "city": values["city"],
            "contact_email": values["contact_email"],
            "contact_phone": values["contact_phone"],
            "is_demo": True,
            # Every printed log-in must work without an authenticator app.
            "require_two_factor": False,
        },
    )
    return network


def _districts(network: Network, spec: NetworkSpec) -> dict[str, District]:
    return {
        name: District.objects.update_or_create(
            network=network, name=name, defaults={"postcodes": postcodes}
        )[0]
        for name, postcodes in spec.districts
    }


def _organisations(network: Network, spec: NetworkSpec) -> dict[str, Organisation]:
    with translation.override(settings.LANGUAGE_CODE):
        description = gettext("Partner of this digibank (demo data; the contact people are fictional).")
    organisations = {}
    for name, type_, contacts in spec.organisations:
        organisation, _created = Organisation.objects.update_or_create(
            network=network,
            name=name,
            defaults={"type": type_, "description": description, "is_active": True},
        )
        organisations[name] = organisation
        domain = _ascii_slug(name) + ".example"
        for contact_name, function in contacts:
            first = _ascii_slug(contact_name.split()[0])
            ContactPerson.objects.get_or_create(
                network=network,
                organisation=organisation,
                name=contact_name,
                defaults={"function": f"{function} (demo)", "email": f"{first}@{domain}"},
            )
    return organisations


def _user(username: str, first_name: str, last_name: str, password_hash: str):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@example.org",
            "password": password_hash,
        },
    )
    if not created and not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def _membership(network: Network, user, role: str, organisation: Organisation | None) -> Membership:
    membership, _created = Membership.objects.update_or_create(
        network=network,
        user=user,
        defaults={"role": role, "organisation": organisation, "is_active": True},
    )
    return membership


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-").replace("--", "-")


def _pick_weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _random_date(rng: random.Random) -> datetime.date:
    span = (LAST_REGISTRATION - FIRST_REGISTRATION).days
    return FIRST_REGISTRATION + datetime.timedelta(days=rng.randint(0, span))


def _phone(rng: random.Random) -> str:
    pairs = " ".join(str(rng.randint(10, 99)) for _ in range(3))
    return f"04{rng.choice('789')}{rng.randint(0, 9)} {pairs}"


def _generate_residents(spec: NetworkSpec) -> list[dict]:
    """The full, fixed list of residents for a network: same seed, same people, every run."""
    rng = random.Random(spec.seed)
    group_weights = [group[0] for group in data.NAME_GROUPS]
    seen: set[tuple[str, str, int]] = set()
    people = []
    while len(people) < spec.resident_count:
        _weight, first_names, last_names, language_sets = rng.choices(
            data.NAME_GROUPS, weights=group_weights
        )[0]
        first_name, last_name = rng.choice(first_names), rng.choice(last_names)
        _w, youngest, oldest = rng.choices(data.AGE_BUCKETS, weights=[b[0] for b in data.AGE_BUCKETS])[0]
        birth_year = data.REFERENCE_YEAR - rng.randint(youngest, oldest)
        key = (first_name, last_name, birth_year)
        if key in seen:
            continue
        seen.add(key)
        district = _pick_weighted(rng, spec.district_weights)
        age = data.REFERENCE_YEAR - birth_year
        channel_weights = {
            ContactChannel.PHONE: 40,
            ContactChannel.SMS: 10 if age >= 75 else 18,
            ContactChannel.LETTER: 35 if age >= 75 else 15,
            ContactChannel.EMAIL: 5 if age >= 75 else 22,
        }
        channel = _pick_weighted(rng, channel_weights)
        phone = _phone(rng) if channel in {"phone", "sms"} or rng.random() < 0.4 else ""
        email = ""
        if channel == ContactChannel.EMAIL or rng.random() < 0.1:
            domain = rng.choice(["example.org", "example.net", "example.com"])
            local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name).replace('-', '')}"
            email = f"{local}{rng.randint(1, 99)}@{domain}"
        street = city = ""
        if channel == ContactChannel.LETTER:
            street = f"{rng.choice(spec.streets[district])} {rng.randint(1, 180)}"
            city = spec.network["city"]
        legal_basis = _pick_weighted(
            rng,
            {
                LegalBasis.CONSENT: 70,
                LegalBasis.PUBLIC_TASK: 20,
                LegalBasis.LEGITIMATE_INTEREST: 6,
                LegalBasis.CONTRACT: 4,
            },
        )
        registered_on = _random_date(rng)
        partner = _pick_weighted(rng, spec.registering_partners) if rng.random() < 0.35 else None
        at_digipunt = partner is None and rng.random() < 0.2
        proofs = []
        if rng.random() < 0.35:
            kinds = [EligibilityKind.INCREASED_REIMBURSEMENT] * 6 + [EligibilityKind.LIVING_WAGE] * 2
            kinds += [EligibilityKind.DEBT_MEDIATION] * 2 + [EligibilityKind.OTHER]
            chosen = {rng.choice(kinds) for _ in range(1 if rng.random() < 0.8 else 2)}
            for kind in sorted(chosen):
                detail = rng.choice(data.OTHER_ELIGIBILITY_DETAILS) if kind == EligibilityKind.OTHER else ""
                proofs.append((kind, detail))
        people.append(
            {
                "first_name": first_name,
                "last_name": last_name,
                "birth_year": birth_year,
                "district": district,
                "postcode": dict(spec.districts)[district],
                "languages": ", ".join(rng.choice(language_sets)),
                "preferred_channel": channel,
                "phone": phone,
                "email": email,
                "do_not_contact": rng.random() < 0.02,
                "street": street,
                "city": city,
                "legal_basis": legal_basis,
                "registered_on": registered_on,
                "registered_at_hour": rng.randint(9, 16),
                "partner": partner,
                "at_digipunt": at_digipunt,
                "proofs": proofs,
            }
        )
    return people


def _registrar(person: dict, users: dict, spec: NetworkSpec):
    """Which demo user registered this resident: the partner's worker, digipunt or desk."""
    if person["partner"] is not None:
        for username, _f, _l, role, organisation in spec.users:
            if role == Role.PARTNER_WORKER and organisation == person["partner"]:
                return users[username]
        return None  # a partner without a demo user: registered by one of their staff
    for username, _f, _l, role, _org in spec.users:
        if role == (Role.DIGIPUNT_STAFF if person["at_digipunt"] else Role.SERVICE_DESK):
            return users[username]
    coordinator = next(u for u, _f, _l, r, _o in spec.users if r == Role.COORDINATOR)
    return users[coordinator]


def _residents(network, spec: NetworkSpec, districts, organisations, users) -> int:
    """Bulk-insert the generated residents that are not there yet; returns how many were new."""
    people = _generate_residents(spec)
    existing = set(Resident.objects.in_network(network).values_list("first_name", "last_name", "birth_year"))
    new_people = [p for p in people if (p["first_name"], p["last_name"], p["birth_year"]) not in existing]
    if not new_people:
        return 0
    tz = timezone.get_current_timezone()
    with translation.override(settings.LANGUAGE_CODE):
        notes = gettext("Fictional resident of the demo network.")
    residents = []
    for person in new_people:
        registrar = _registrar(person, users, spec)
        partner = organisations.get(person["partner"]) if person["partner"] else None
        person["registrar"] = registrar
        person["registered_at"] = datetime.datetime.combine(
            person["registered_on"], datetime.time(person["registered_at_hour"]), tzinfo=tz
        )
        residents.append(
            Resident(
                network=network,
                first_name=person["first_name"],
                last_name=person["last_name"],
                birth_year=person["birth_year"],
                district=districts[person["district"]],
                postcode=person["postcode"],
                languages=person["languages"],
                preferred_channel=person["preferred_channel"],
                phone=person["phone"],
                email=person["email"],
                do_not_contact=person["do_not_contact"],
                street=person["street"],
                city=person["city"],
                legal_basis=person["legal_basis"],
                consent_date=person["registered_on"] if person["legal_basis"] == LegalBasis.CONSENT else None,
                consent_recorded_by=registrar if person["legal_basis"] == LegalBasis.CONSENT else None,
                notes=notes,
                registered_by_organisation=partner,
                created_by=registrar,
            )
        )
    for resident in residents:
        resident.refresh_keys()
    Resident.objects.bulk_create(residents, batch_size=500)
    # Read the keys back rather than trusting bulk_create to set pks on every backend.
    ids = {
        (first, last, year): pk
        for pk, first, last, year in Resident.objects.in_network(network).values_list(
            "pk", "first_name", "last_name", "birth_year"
        )
    }
    accesses, proofs, timeline, dated = [], [], [], []
    desk_user = next((users[u] for u, _f, _l, r, _o in spec.users if r == Role.SERVICE_DESK), None)
    with translation.override(settings.LANGUAGE_CODE):
        for person in new_people:
            resident_id = ids[(person["first_name"], person["last_name"], person["birth_year"])]
            registrar = person["registrar"]
            dated.append(Resident(pk=resident_id, created_at=person["registered_at"]))
            if person["partner"]:
                organisation = organisations[person["partner"]]
                accesses.append(
                    ResidentAccess(
                        network=network,
                        resident_id=resident_id,
                        organisation=organisation,
                        reason=ResidentAccess.Reason.REGISTERED,
                    )
                )
                # The same wording as residents.services.resident_create, so it translates once.
                summary = gettext("Registered for %(organisation)s") % {"organisation": organisation.name}
            else:
                summary = gettext("Registered")
            timeline.append(
                TimelineEntry(
                    network=network,
                    resident_id=resident_id,
                    occurred_at=person["registered_at"],
                    kind=TimelineKind.REGISTERED,
                    summary=summary,
                    actor=registrar,
                )
            )
            if person["legal_basis"] == LegalBasis.CONSENT:
                timeline.append(
                    TimelineEntry(
                        network=network,
                        resident_id=resident_id,
                        occurred_at=person["registered_at"],
                        kind=TimelineKind.CONSENT,
                        summary=gettext("Consent recorded"),
                        actor=registrar,
                    )
                )
            for kind, detail in person["proofs"]:
                seen_on = person["registered_on"]
                valid_until = (
                    seen_on.replace(year=seen_on.year + 1, day=min(seen_on.day, 28))
                    if kind == EligibilityKind.INCREASED_REIMBURSEMENT
                    else None
                )
                proofs.append(
                    EligibilityProof(
                        network=network,
                        resident_id=resident_id,
                        kind=kind,
                        detail=detail,
                        seen_by=registrar or desk_user,
                        seen_on=seen_on,
                        valid_until=valid_until,
                    )
                )
    ResidentAccess.objects.bulk_create(accesses, batch_size=500)
    EligibilityProof.objects.bulk_create(proofs, batch_size=500)
    TimelineEntry.objects.bulk_create(timeline, batch_size=500)
    # created_at is auto_now_add: set the registration moment afterwards, so lists sort as in real life.
    Resident.objects.bulk_update(dated, ["created_at"], batch_size=500)
    return len(new_people)
