"""Text that no person types: refused at the door, in one place, for every form and API call.

A NUL byte cannot be stored in PostgreSQL (a server error) and, like the other C0 control
characters, has no business in a name, a note or a search. Tabs and line breaks are text.
Uploaded files are not checked here (an nwipe log is bytes); their importers read them.
"""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(value) -> bool:
    """Whether any string in ``value`` (a string, or lists/dicts of them, as JSON) holds one."""
    if isinstance(value, str):
        return bool(CONTROL.search(value))
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_control_characters(v) for v in value)
    return False


def _submitted_text(request: HttpRequest):
    yield from request.GET.lists()
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.content_type or ""
        if content_type == "application/json":
            try:
                yield "body", json.loads(request.body or b"null")
            except (ValueError, UnicodeDecodeError):
                return  # not JSON: the API answers that itself
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            yield from request.POST.lists()


class ControlCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(has_control_characters(value) for _name, value in _submitted_text(request)):
            message = _("The text sent contains invisible control characters. Remove them and try again.")
            if request.path.startswith(settings.API_PATH_PREFIX):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(
                render_to_string("400.html", {"message": message}, request=request), status=400
            )
        return self.get_response(request)
