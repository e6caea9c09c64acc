"""Searching the whole database for a piece of text (erasure tests: nothing may be left)."""

from django.apps import apps
from django.db import models
from django.db.models import Q


def text_columns(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def find_anywhere(needle: str) -> list[str]:
    """Every row of every table whose text, char or JSON columns contain ``needle``."""
    found = []
    for model in apps.get_models():
        columns = text_columns(model)
        if not columns:
            continue
        query = Q()
        for column in columns:
            query |= Q(**{f"{column}__icontains": needle})
        for row in model._default_manager.filter(query):
            found.append(f"{model._meta.label} #{row.pk}")
    return found
