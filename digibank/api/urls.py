"""URLs of the API: ninja's, plus JSON answers for the root and for unknown paths.

These views are not wrapped in networks.access decorators: every operation authenticates
its token and checks its permission itself (apikit/auth.py), and tests/api/test_api_walk.py
walks every operation of the OpenAPI document for every role.
"""

from django.http import JsonResponse
from django.urls import re_path, reverse

from digibank.apikit.errors import json_method_errors, json_not_found

from .api import api

app_name = "api"


def api_root(request, *args, **kwargs) -> JsonResponse:
    return JsonResponse(
        {"openapi": reverse("api:openapi-json"), "docs": reverse("api:openapi-view"), "version": api.version}
    )


def _patterns():
    patterns, _app_name, _namespace = api.urls
    for pattern in patterns:
        if pattern.name == "api-root":
            # ninja answers the root with an HTML 404; point callers to the document instead.
            pattern.callback = api_root
        elif pattern.name not in {"openapi-json", "openapi-view"}:
            pattern.callback = json_method_errors(pattern.callback)
        yield pattern


urlpatterns = [*_patterns(), re_path(r"^.*$", json_not_found, name="not-found")]
