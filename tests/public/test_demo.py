"""The public site's demo data: texts in three languages, a few applications and offers; the
same on every run, and nothing added the second time."""

import random

from digibank.public.demo import demo_load
from digibank.public.models import DonationOffer, PublicText, VolunteerApplication


def load(world):
    demo_load(
        network=world.leuven,
        rng=random.Random("leuven:public"),
        users={"coordinator": world.coordinator, "service_desk": world.desk},
    )


def test_the_demo_gives_texts_in_three_languages_and_an_inbox(world):
    load(world)
    texts = PublicText.objects.in_network(world.leuven)
    assert {(t.key, t.language) for t in texts} >= {
        (k, lang) for k in ["welcome", "contact", "privacy"] for lang in ["nl", "fr", "en"]
    }
    # The world already had one of each; the demo adds to an empty inbox only.
    assert VolunteerApplication.objects.in_network(world.leuven).count() == 1


def test_the_demo_is_idempotent_and_fills_an_empty_inbox(world):
    VolunteerApplication.objects.in_network(world.leuven).delete()
    DonationOffer.objects.in_network(world.leuven).delete()
    load(world)
    first = sorted(
        VolunteerApplication.objects.in_network(world.leuven).values_list("reference", "name", "status")
    )
    offers = DonationOffer.objects.in_network(world.leuven).count()
    load(world)
    assert (
        sorted(
            VolunteerApplication.objects.in_network(world.leuven).values_list("reference", "name", "status")
        )
        == first
    )
    assert len(first) == 4 and offers == 3 == DonationOffer.objects.in_network(world.leuven).count()
    assert {status for _r, _n, status in first} == {"new", "contacted", "accepted"}
