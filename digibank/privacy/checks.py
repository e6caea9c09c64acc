"""The registry's completeness check: which models hold data about a person without a provider.

A model needs a provider when it is a person's record (a subject kind's model), has a foreign
key to one, or has free text (a CharField or TextField without choices) and is linked to one
through a chain of foreign keys (a note on a referral of a request of a resident). Free text
may hold anything about the person, so someone must export and erase it.

tests/privacy/test_registry.py runs it over every installed model; it takes its inputs as
arguments so that the test can show it catching a model nobody covers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import models

from .registry import Provider, provider_for_model, providers, subject_kinds


def free_text_fields(model) -> list[str]:
    """Columns a person could type anything into: CharField/TextField (e-mail too), not choices."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices
    ]


def _foreign_keys(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one or field.one_to_one
    ]


def person_models_registered() -> list:
    return [apps.get_model(kind.model) for kind in subject_kinds() if kind.model]


def uncovered_models(
    *, models: Iterable, person_models: Iterable, registered: Iterable[Provider]
) -> list[str]:
    """One line per model that holds data about a person and that no provider covers."""
    models = list(models)
    persons = set(person_models)
    registered = list(registered)
    # Models linked to a person through a chain of foreign keys, with the first hop's target.
    linked: dict = dict.fromkeys(persons, "")
    changed = True
    while changed:
        changed = False
        for model in models:
            if model in linked:
                continue
            for field in _foreign_keys(model):
                if field.related_model in linked:
                    linked[model] = f"{field.name} -> {field.related_model._meta.label}"
                    changed = True
                    break
    problems = []
    for model in models:
        if model not in linked:
            continue
        label = model._meta.label
        if provider_for_model(label, registered) is not None:
            continue
        if model in persons:
            reason = "is a person's record"
        elif any(field.related_model in persons for field in _foreign_keys(model)):
            reason = f"has a foreign key to a person ({linked[model]})"
        elif free_text_fields(model):
            texts = ", ".join(free_text_fields(model))
            reason = f"has free text ({texts}) and is linked to a person ({linked[model]})"
        else:
            continue
        problems.append(f"{label} {reason} but no privacy provider covers it")
    return problems


def registry_gaps() -> list[str]:
    """uncovered_models over every installed model, the registered kinds and providers."""
    return uncovered_models(
        models=apps.get_models(), person_models=person_models_registered(), registered=providers()
    )
