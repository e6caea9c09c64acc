import pytest
from django.test import Client
from django.utils import translation

from . import sharing
from .world import build_world


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering
def pytest_collection_modifyitems(config, items):
    _deselect_fuzz_unless_asked(config, items)
    sharing.order_items(items)


def _deselect_fuzz_unless_asked(config, items) -> None:
    """The API fuzz run (tests/api/test_fuzz.py) is its own CI step (.ci/fuzz-api, ``-m fuzz``),
    not part of ``make test``."""
    if "fuzz" in (config.option.markexpr or ""):
        return
    fuzz = [item for item in items if item.get_closest_marker("fuzz")]
    if fuzz:
        config.hook.pytest_deselected(items=fuzz)
        items[:] = [item for item in items if not item.get_closest_marker("fuzz")]


@pytest.hookimpl(tryfirst=True)  # before the test's fixtures open its savepoint
def pytest_runtest_setup(item):
    sharing.before_setup(item)


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


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """The outer transaction that holds a module's shared data (see tests/sharing.py)."""
    yield from sharing.module_transaction_fixture(request, django_db_blocker)


world_data = sharing.module_data(build_world, name="world_data")


@pytest.fixture
def world(world_data, db):
    """The cast (tests/world.py): built once per module, a fresh copy for every test; rolled
    back after each test. A transactional test gets a committed world of its own."""
    return world_data.get()


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
