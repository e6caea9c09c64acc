"""The Digibank API, version 1: one NinjaAPI, mounted at /api/v1/ by digibank/urls.py."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from digibank.apikit.errors import install_error_handlers
from digibank.apikit.routers import registered_routers

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
# Every app mounts its own endpoints (digibank/<app>/api.py, registered in its AppConfig.ready()).
for mounted in registered_routers():
    api.add_router(mounted.prefix, mounted.router)
