"""Schemathesis over the whole OpenAPI document, with a token of every role (``-m fuzz``).

Every operation gets generated requests, valid and invalid (its examples, then 20 generated
ones), each sent with the token of the next actor of the test world in turn: the roles that
may call the operation first, then the coordinator of another network, then the roles that
may not (403). On a ``{pk}`` path every other request names an object of the test world.
A server error (5xx), an undocumented status code, a wrong content type or an answer that
does not match its published schema fails the test.

Bounded and deterministic (fixed seed, no example database): the same requests on every run.
Schemathesis's "coverage" phase (every boundary of every parameter, ~150 requests per
operation) is off to stay within CI's budget. ``.ci/fuzz-api`` runs only this module and
prints the figures; ``make test`` leaves it out (tests/conftest.py).
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import schemathesis
from django.apps import apps
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from digibank.api.api import api
from digibank.networks.roles import role_has
from tests.world import ROLE_ACTORS

from .conftest import token_for

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_OPERATION = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261203,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
            # The token is ours (below); generated Authorization headers only make 401s.
            "with-security-parameters": False,
        },
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = WSGIHandler()

# Figures for .ci/fuzz-api: requests per operation, per actor and per status code.
CALLS: Counter = Counter()
ACTORS_SEEN: Counter = Counter()
STATUSES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def figures():
    yield
    path = os.environ.get("DIGIBANK_FUZZ_FIGURES")
    if path:
        with open(path, "w") as out:
            figures = {"operations": CALLS, "actors": ACTORS_SEEN, "statuses": STATUSES}
            json.dump(figures, out)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to Django's WSGI handler, whose end-of-request signal closes the
    database connection: the test's own, inside its transaction (PostgreSQL). Django's test
    client detaches the same handler."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def actors_for(permission: str) -> list[str]:
    """Who calls an operation, in turn: the roles that may, the other network, the roles that may not."""
    allowed = [actor for actor, role in ROLE_ACTORS.items() if role_has(role, permission)]
    refused = [actor for actor, role in ROLE_ACTORS.items() if not role_has(role, permission)]
    return [*allowed, "outsider", *refused]


@pytest.fixture
def tokens(world):
    return {actor: token_for(getattr(world, actor)) for actor in [*ROLE_ACTORS, "outsider"]}


def existing_pk(operation, world) -> int | None:
    """An object of the test world (network leuven) for a ``{pk}`` path: a random id is nearly
    always 404, which tests the refusal but never the answer."""
    label = operation.definition.raw.get("x-model")
    if not label:
        return None
    obj = apps.get_model(label).objects.filter(network=world.leuven).order_by("pk").first()
    return obj.pk if obj is not None else None


@schema.parametrize()
# The world and the tokens are made once per operation, not per example: on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_fuzz(case, tokens, world):
    label = case.operation.label
    turn = actors_for(case.operation.definition.raw["x-permission"])
    actor = turn[CALLS[label] % len(turn)]
    pk = existing_pk(case.operation, world)
    if pk is not None and CALLS[label] % 2 == 0:
        # Every other request names an object that exists, generated bodies and all.
        case.path_parameters = {**(case.path_parameters or {}), "pk": pk}
    response = case.call(headers={"Authorization": f"Bearer {tokens[actor]}"})
    CALLS[label] += 1
    ACTORS_SEEN[actor] += 1
    STATUSES[str(response.status_code)] += 1
    case.validate_response(response, checks=CHECKS)
