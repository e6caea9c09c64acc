"""Every schema of the API has its own name in the OpenAPI document.

Three different "ResidentRef" schemas once shared one component name, so loan, appointment and
waiting-list answers did not match the published document.
"""

import inspect
from collections import defaultdict

from ninja import Schema

from digibank.api.urls import api


def test_no_two_different_schemas_share_a_component_name():
    by_name = defaultdict(set)
    for router in [api.default_router, *[r for _prefix, r in api._routers]]:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for schema in _schemas_of(operation):
                    by_name[schema.__name__].add(f"{schema.__module__}.{schema.__qualname__}")
    assert by_name, "the walk found the API's schemas"
    clashes = {name: sorted(found) for name, found in by_name.items() if len(found) > 1}
    assert clashes == {}


def _schemas_of(operation):
    seen, todo = set(), []
    for response in (operation.response_models or {}).values():
        todo.append(response)
    todo.extend(p.annotation for p in inspect.signature(operation.view_func).parameters.values())
    while todo:
        item = todo.pop()
        for candidate in _types_in(item):
            if candidate in seen:
                continue
            seen.add(candidate)
            yield candidate
            for field in getattr(candidate, "model_fields", {}).values():
                todo.append(field.annotation)


def _types_in(annotation):
    if inspect.isclass(annotation) and issubclass(annotation, Schema):
        return [annotation]
    found = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_types_in(arg))
    return found
