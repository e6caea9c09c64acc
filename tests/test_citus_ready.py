"""Keeps the schema ready for distributed PostgreSQL (Citus, distribution column = network).

Inspects every model of every Digibank app, so a table added later is checked without
anyone remembering: it must carry a non-null ``network`` key, and every unique constraint
must include it (Citus can only enforce uniqueness that includes the distribution column).
Tables that are global on purpose are listed here, with the reason.
"""

from django.apps import apps
from django.db import models

# Global tables (Citus reference tables): small, the same for every network.
GLOBAL_MODELS = {
    "networks.Network": "the tenant table itself; a reference table",
    "accounts.User": "one person can work in several networks; memberships are per network",
}


def digibank_models():
    for model in apps.get_models():
        if model.__module__.startswith("digibank.") and not model._meta.auto_created:
            yield model


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def test_every_domain_table_has_a_non_null_network_key():
    problems = []
    for model in digibank_models():
        if label(model) in GLOBAL_MODELS:
            continue
        try:
            field = model._meta.get_field("network")
        except Exception:
            problems.append(f"{label(model)} has no network field")
            continue
        if not isinstance(field, models.ForeignKey) or field.null:
            problems.append(f"{label(model)}.network must be a non-null foreign key")
    assert problems == []


def test_every_unique_constraint_includes_the_network():
    problems = []
    for model in digibank_models():
        if label(model) in GLOBAL_MODELS:
            continue
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                problems.append(f"{label(model)}.{field.name} is unique on its own")
        for fields in model._meta.unique_together:
            if "network" not in fields:
                problems.append(f"{label(model)} unique_together {fields} lacks network")
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and "network" not in constraint.fields:
                problems.append(f"{label(model)} constraint {constraint.name} lacks network")
    assert problems == []


def test_foreign_keys_point_only_at_domain_or_global_tables():
    """Co-location needs every join to be on domain tables (sharded alike) or reference tables."""
    domain = {label(m) for m in digibank_models()} - set(GLOBAL_MODELS)
    problems = []
    for model in digibank_models():
        for field in model._meta.local_fields:
            if isinstance(field, models.ForeignKey):
                target = label(field.related_model)
                if target not in domain and target not in GLOBAL_MODELS and not target.startswith("auth."):
                    problems.append(f"{label(model)}.{field.name} -> {target} is neither domain nor global")
    assert problems == []


def test_the_check_sees_the_models_it_guards():
    seen = {label(m) for m in digibank_models()}
    assert {"residents.Resident", "organisations.Organisation", "audit.AuditEntry"} <= seen
