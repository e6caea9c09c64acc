import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from .world import build_world


@pytest.fixture(autouse=True)
def in_english(request, settings):
    """Tests read the English msgids; the interface itself is Dutch by default.

    Browser tests and tests marked ``dutch`` run in the real default language.
    """
    if request.node.get_closest_marker("dutch") or "tests/browser/" in request.node.nodeid:
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One world for a whole module, like TestCase.setUpTestData: built once in an outer
    transaction; each test runs in a savepoint inside it and everything is rolled back at the
    end. For modules that only read the world (the authorization walks): a module overrides
    ``world`` with ``def world(shared_world, db): return shared_world``."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
