"""factory_boy factories. Every domain object is created inside the network of its parent."""

import datetime

import factory
from django.utils import timezone

from digibank.accounts.models import User
from digibank.networks.models import District, Membership, MembershipInvitation, Network
from digibank.organisations.models import ContactPerson, Organisation, OrganisationType
from digibank.residents.models import LegalBasis, Resident, ResidentAccess


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Iedereen Digitaal @ Stad {n}")
    slug = factory.Sequence(lambda n: f"stad-{n}")
    city = "Leuven"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Generated names never random: the authorization walks look for the world's names in pages.
    first_name = factory.Sequence(lambda n: f"Medewerker{n}")
    last_name = factory.Sequence(lambda n: f"Collega{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    postcodes = "3000"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    type = OrganisationType.NEIGHBOURHOOD


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.LazyAttribute(lambda c: c.organisation.network)
    name = factory.Sequence(lambda n: f"Contactpersoon {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    role = "service_desk"
    organisation = None


class MembershipInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipInvitation

    network = factory.SubFactory(NetworkFactory)
    username = factory.Sequence(lambda n: f"invitee{n}")
    role = "volunteer"
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    first_name = factory.Sequence(lambda n: f"Inwoner{n}")
    last_name = factory.Sequence(lambda n: f"Familie{n}")
    birth_year = 1960
    postcode = "3000"
    languages = "nl"
    preferred_channel = "letter"
    legal_basis = LegalBasis.CONSENT
    consent_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))

    @factory.post_generation
    def organisation(obj, create, extracted, **kwargs):
        """``ResidentFactory(organisation=org)``: registered by that partner, who may then see them."""
        if create and extracted is not None:
            obj.registered_by_organisation = extracted
            obj.save(update_fields=["registered_by_organisation"])
            ResidentAccess.objects.create(
                network=obj.network,
                resident=obj,
                organisation=extracted,
                reason=ResidentAccess.Reason.REGISTERED,
            )
