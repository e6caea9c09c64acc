"""The Digibank API, version 1: one NinjaAPI, mounted at /api/v1/ by digibank/urls.py."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from digibank.catalogue import api as catalogue_api
from digibank.devices import api as devices_api
from digibank.devices.donations import api as donations_api
from digibank.digipunten import api as digipunten_api
from digibank.lending import api as lending_api
from digibank.referrals import api as referrals_api

from . import organisations, residents
from .errors import install_error_handlers

DESCRIPTION = """
The Digibank API gives programs the same access as the staff interface, with the same rules.

**Authentication.** Create a personal token on your account page ("My account" → API tokens)
and send it in every request: `Authorization: Bearer dgb_...`. A token belongs to one network
and acts with your role there; it stops working when it is revoked or when you leave that
network. `x-permission` on each operation names the permission your role needs.

**Scoping.** You see exactly what you see in the interface: only your network, and as a
partner worker only the residents your organisation registered or was referred.
Something you may not see answers 404, as if it did not exist.

**Privacy.** Every answer that shows a resident's data is written to the audit trail.

**Errors** are JSON: `{"detail": "..."}`; 422 adds `errors` per field; 409 on a likely
duplicate resident (send `"confirm_duplicate": true` to register anyway).
"""


class Docs(Swagger):
    """ninja's bundled Swagger UI (no CDN) in our own template: no inline script, so the CSP allows it."""

    template = "api/docs.html"


api = NinjaAPI(
    title="Digibank API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Docs(settings={"persistAuthorization": False, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("/organisations", organisations.router)
api.add_router("/residents", residents.router)

# Each capability keeps its endpoints in its own app (digibank/<app>/api.py); mounted here.
api.add_router("/donations", donations_api.router)
api.add_router("/services", catalogue_api.router)
api.add_router("/devices", devices_api.router)
api.add_router("/lending", lending_api.router)
api.add_router("/digipunten", digipunten_api.router)
api.add_router("", referrals_api.router)  # /requests/... and /referrals/...
