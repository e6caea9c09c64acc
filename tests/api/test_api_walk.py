"""Walks every operation of the OpenAPI document for every role and for a user of another network.

What each actor must get is read from the operation's ``x-permission`` and ``x-model`` (set by
``digibank.apikit.auth.requires``) and the permission table, the same way tests/test_authorization.py
does for the pages: a new endpoint is covered the moment it is added.
"""

import json

import pytest
from django.apps import apps
from django.test import Client

from digibank.api.api import api
from digibank.networks.models import Membership
from digibank.networks.roles import PERMISSIONS, role_has
from tests.test_authorization import LEUVEN_SECRETS, OTHER_SECRETS, cross_network_references, probe_values
from tests.world import ROLE_ACTORS

from .conftest import token_for

DOCUMENT = api.get_openapi_schema()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
]
IDS = [f"{method} {path}" for method, path, _ in OPERATIONS]
ACTORS = [*ROLE_ACTORS, "outsider"]


def model_of(operation):
    label = operation.get("x-model")
    return apps.get_model(label) if label else None


def build_path(path: str, operation, network) -> str:
    model = model_of(operation)
    if "{pk}" in path:
        obj = model.objects.filter(network=network).order_by("pk").first()
        assert obj is not None, f"The test world has no {model.__name__} in {network} for {path}"
        path = path.replace("{pk}", str(obj.pk))
    return path


def call(client: Client, method: str, path: str):
    if method in {"POST", "PUT", "PATCH"}:
        # An empty body: the walk checks access, and an empty body must never change anything.
        return client.generic(method, path, data="{}", content_type="application/json")
    return client.generic(method, path)


def expected_for(operation, user, token_network, object_network) -> str:
    membership = Membership.objects.get(user=user, network=token_network)
    if not role_has(membership.role, operation["x-permission"]):
        return "403"
    model = model_of(operation)
    if model is None:
        return "ok"
    obj = model.objects.filter(network=object_network).order_by("pk").first()
    return "ok" if model.objects.visible_to(membership).filter(pk=obj.pk).exists() else "404"


def assert_json_error(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_every_operation_declares_its_permission_and_model():
    assert OPERATIONS, "The API has no operations"
    for method, path, operation in OPERATIONS:
        assert operation.get("x-permission") in PERMISSIONS, f"{method} {path}: no x-permission"
        path_params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        assert path_params in ([], ["pk"]), f"{method} {path}: the only path parameter may be pk"
        if path_params:
            assert model_of(operation) is not None, f"{method} {path}: a {{pk}} path needs x-model"
        assert operation.get("security"), f"{method} {path}: no authentication"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_without_a_token_every_operation_answers_401(method, path, operation, world, client):
    response = call(client, method, build_path(path, operation, world.leuven))
    assert_json_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
@pytest.mark.parametrize("actor", ACTORS)
def test_each_role_gets_what_the_permission_table_says(method, path, operation, actor, world):
    user = getattr(world, actor)
    token_network = world.other if actor == "outsider" else world.leuven
    client = Client(
        headers={"Authorization": f"Bearer {token_for(user, token_network)}", "Accept-Language": "en"}
    )
    # Leuven's objects for everyone: the outsider must get 404 for them.
    response = call(client, method, build_path(path, operation, world.leuven))
    expected = expected_for(operation, user, token_network, world.leuven)
    if expected in {"403", "404"}:
        assert_json_error(response, int(expected))
    else:
        assert response.status_code < 500, response.content
        assert response.status_code not in {401, 403, 404}, f"{actor}: {response.content}"
    text = json.dumps(response.json(), ensure_ascii=False)
    secrets = LEUVEN_SECRETS if actor == "outsider" else OTHER_SECRETS
    for secret in secrets:
        assert secret not in text, f"{actor} saw {secret!r} on {method} {path}"
    if actor == "partner_b":
        assert "Amira" not in text, f"partner_b saw a resident of another partner on {method} {path}"


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [op for op in OPERATIONS if "{pk}" in op[1]],
    ids=[i for i, op in zip(IDS, OPERATIONS, strict=True) if "{pk}" in op[1]],
)
@pytest.mark.parametrize("actor", list(ROLE_ACTORS))
def test_a_token_of_one_network_gets_404_for_objects_of_another(method, path, operation, actor, world):
    user = getattr(world, actor)
    client = Client(
        headers={"Authorization": f"Bearer {token_for(user, world.leuven)}", "Accept-Language": "en"}
    )
    response = call(client, method, build_path(path, operation, world.other))
    membership = Membership.objects.get(user=user, network=world.leuven)
    assert_json_error(response, 404 if role_has(membership.role, operation["x-permission"]) else 403)
    for secret in OTHER_SECRETS:
        assert secret not in response.content.decode()


# --- objects of another network named in request bodies ----------------------------------------

WRITES = [op for op in OPERATIONS if op[0] in {"POST", "PUT", "PATCH"}]


def body_schema(operation) -> dict:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def probing_body(operation, world) -> dict:
    """Every field of the body that names an object gets one of leuven's; the other required
    fields get plausible values, so that the only thing wrong is whose objects they are."""
    values = probe_values(world)
    body = {}
    schema = body_schema(operation)
    for name, prop in schema.get("properties", {}).items():
        key = name.removesuffix("_id")
        if key in values:
            body[name] = values[key]
        elif name in schema.get("required", []):
            kind = prop.get("type") or next((p.get("type") for p in prop.get("anyOf", []) if "type" in p), "")
            body[name] = {"integer": 1, "number": 1, "boolean": True, "array": []}.get(kind, "x")
    return body


@pytest.mark.parametrize(("method", "path", "operation"), WRITES, ids=[f"{m} {p}" for m, p, _ in WRITES])
def test_a_body_naming_objects_of_another_network_changes_nothing_there(method, path, operation, world):
    """The outsider's coordinator token, on their own network's objects, with a body naming
    leuven's: never a row of "other" pointing at leuven, never leuven's data in the answer."""
    client = Client(
        headers={"Authorization": f"Bearer {token_for(world.outsider, world.other)}", "Accept-Language": "en"}
    )
    model = model_of(operation)
    if model is not None and not model.objects.filter(network=world.other).exists():
        pytest.skip(f"network other has no {model.__name__}")
    response = client.generic(
        method,
        build_path(path, operation, world.other),
        data=json.dumps(probing_body(operation, world)),
        content_type="application/json",
    )
    assert response.status_code < 500, response.content
    for secret in LEUVEN_SECRETS:
        assert secret not in response.content.decode(), f"{method} {path} shows {secret!r}"
    assert cross_network_references() == []
