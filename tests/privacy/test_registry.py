"""The privacy registry is complete: every model that holds data about a person has a provider.

A new capability that stores a person's data (a foreign key to a resident, a note on
something linked to one) fails here until it registers a provider (privacy.registry), so its
rows are in the subject-access export and blanked by the erasure.
"""

import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test.utils import isolate_apps

from digibank.privacy import checks
from digibank.privacy.registry import (
    ALL_KINDS,
    RESIDENT,
    Subject,
    provider_for_model,
    providers,
    registered_provider,
    subject_export,
    subject_kind,
    subject_kinds,
)
from digibank.residents.models import Resident


def test_every_model_that_holds_data_about_a_person_has_a_provider():
    assert checks.registry_gaps() == []


def test_the_check_reports_a_real_capability_that_forgets_its_provider():
    without_lending = [p for p in providers() if p.name != "lending"]
    problems = checks.uncovered_models(
        models=apps.get_models(), person_models=checks.person_models_registered(), registered=without_lending
    )
    assert any(line.startswith("lending.Loan has a foreign key to a person") for line in problems), problems
    assert any(line.startswith("lending.WaitingListEntry ") for line in problems)
    # A reminder holds no free text of its own (its message, with the text, is the outbox's).
    assert not any(line.startswith("lending.Reminder ") for line in problems)
    # An offer is linked to the resident but holds no free text: nothing to erase.
    assert not any(line.startswith("lending.Offer ") for line in problems)


@isolate_apps("digibank.privacy")
def test_the_check_reports_a_new_model_nobody_covers():
    """A throwaway capability: a person, a note about them, a reply to the note, a counter."""

    class Person(models.Model):  # noqa: DJ008 -- throwaway model
        name = models.CharField(max_length=100)

        class Meta:
            app_label = "privacy"

    class Note(models.Model):  # noqa: DJ008 -- throwaway model
        person = models.ForeignKey(Person, on_delete=models.CASCADE)
        text = models.TextField()
        kind = models.CharField(max_length=10, choices=[("a", "A")])

        class Meta:
            app_label = "privacy"

    class Reply(models.Model):  # noqa: DJ008 -- throwaway model
        note = models.ForeignKey(Note, on_delete=models.CASCADE)
        text = models.CharField(max_length=300)

        class Meta:
            app_label = "privacy"

    class Tally(models.Model):  # noqa: DJ008 -- throwaway model
        note = models.ForeignKey(Note, on_delete=models.CASCADE)
        count = models.IntegerField()
        kind = models.CharField(max_length=10, choices=[("a", "A")])

        class Meta:
            app_label = "privacy"

    class Unrelated(models.Model):  # noqa: DJ008 -- throwaway model
        text = models.TextField()

        class Meta:
            app_label = "privacy"

    everything = [Person, Note, Reply, Tally, Unrelated]

    def check(*registered):
        return checks.uncovered_models(models=everything, person_models=[Person], registered=registered)

    assert check() == [
        "privacy.Person is a person's record but no privacy provider covers it",
        "privacy.Note has a foreign key to a person (person -> privacy.Person)"
        " but no privacy provider covers it",
        "privacy.Reply has free text (text) and is linked to a person (note -> privacy.Note)"
        " but no privacy provider covers it",
    ]
    with registered_provider(
        name="throwaway",
        models=["privacy.Person", "privacy.Note"],
        kinds=["person"],
        export=list,
        erase=print,
    ) as provider:
        assert check(provider) == [
            "privacy.Reply has free text (text) and is linked to a person (note -> privacy.Note)"
            " but no privacy provider covers it"
        ]
    assert provider_for_model("privacy.Person") is None, "the throwaway provider is gone again"


def test_free_text_is_char_and_text_without_choices():
    assert "first_name" in checks.free_text_fields(Resident)
    assert "email" in checks.free_text_fields(Resident)
    assert "preferred_channel" not in checks.free_text_fields(Resident)


def test_every_registered_model_kind_and_provider_is_real():
    kinds = {kind.kind for kind in subject_kinds()}
    assert {RESIDENT, "booker", "applicant"} <= kinds
    for kind in subject_kinds():
        assert apps.get_model(kind.model)
    for provider in providers():
        for label in provider.models:
            assert apps.get_model(label), f"{provider.name}: {label}"
        assert set(provider.kinds) <= kinds | {ALL_KINDS}, provider.name
    names = [p.name for p in providers(RESIDENT)]
    assert names[0] == "residents", "the resident's own record is exported and blanked first"
    assert {"audit", "lending", "referrals", "digipunten"} <= set(names)
    assert subject_kind("nobody") is None


def test_every_provider_exports_titled_json_sections(world):
    sections = subject_export(Subject(RESIDENT, world.resident_a.pk, network_id=world.leuven.pk))
    assert sections
    for section in sections:
        assert section.key and str(section.title), section
        json.dumps(section.as_dict(), cls=DjangoJSONEncoder)
        for key, _label in section.columns:
            for row in section.rows:
                assert key in row, (section.key, key)
    assert len({s.key for s in sections}) == len(sections), "section keys are unique"
