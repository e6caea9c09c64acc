"""The catalogue's API router on a NinjaAPI of its own, so its tests do not depend on where the
lead mounts it in digibank/api/api.py (tests/api/test_api_walk.py covers it once mounted)."""

from django.urls import path
from ninja import NinjaAPI

from digibank.api.errors import install_error_handlers
from digibank.catalogue.api import router
from digibank.urls import urlpatterns as project_urlpatterns

api = NinjaAPI(title="catalogue test", urls_namespace="catalogue-api-test", docs_url=None)
install_error_handlers(api)
api.add_router("/services", router)

# The project's own URLs stay: other areas' test worlds reverse them.
urlpatterns = [path("catalogue-api-test/", api.urls), *project_urlpatterns]
