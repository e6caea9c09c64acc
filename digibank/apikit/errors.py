"""Every error of the API is JSON: ``{"detail": "a clear message"}`` (422 adds ``errors`` per field).

Installed on the NinjaAPI in api.py; urls.py uses ``json_not_found`` and ``json_method_errors``
for what Django answers before ninja gets the request.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("digibank.api")

# Where ninja puts a body, query or path parameter in an error location; not part of the field name.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "cookie", "form", "file"}


class Conflict(HttpError):
    """409: the request conflicts with what exists (a likely duplicate); ``extra`` goes into the body."""

    def __init__(self, message: str, **extra) -> None:
        super().__init__(409, message)
        self.extra = extra


def _field_name(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
        # Body fields come as ("body", "<argument name>", "field"): drop the argument name.
        if loc[0] == "body" and parts:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _input_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return errors


def _model_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def cleaned_data_or_422(form) -> dict:
    """Validate with the UI's own form (same rules, same messages); invalid -> ValidationError -> 422."""
    if not form.is_valid():
        raise DjangoValidationError({name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request, status: int, detail: str, **extra):
        response = api.create_response(request, {"detail": detail, **extra}, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="digibank"'
        return response

    @api.exception_handler(NinjaValidationError)
    def input_invalid(request, exc):
        errors = _input_errors(exc)
        return respond(request, 422, _("The request is not valid: see the errors per field."), errors=errors)

    @api.exception_handler(DjangoValidationError)
    def data_invalid(request, exc):
        errors = _model_errors(exc)
        return respond(request, 422, _("The data is not valid: see the errors per field."), errors=errors)

    @api.exception_handler(Conflict)
    def conflict(request, exc):
        return respond(request, 409, exc.message, **exc.extra)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, exc.message)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return respond(request, exc.status_code, exc.message)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return respond(request, 403, _("Your role may not do this."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, _("Not found: it does not exist, or you may not see it."))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        # Same signal Django sends for an unhandled exception: error reporting still hears of it.
        logger.exception("API error on %s %s", request.method, request.path)
        signals.got_request_exception.send(sender=None, request=request)
        message = _("Something went wrong on our side. The error is logged; try again later.")
        return respond(request, 500, message)


def json_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in JSON too."""
    return JsonResponse({"detail": _("There is no API endpoint at this address.")}, status=404)


def json_method_errors(view):
    """ninja answers a wrong method with a plain-text 405; make it JSON like every other error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code == 405 and not is_json:
            json = JsonResponse({"detail": _("This method is not allowed here.")}, status=405)
            json["Allow"] = response.get("Allow", "")
            return json
        return response

    return wrapper
