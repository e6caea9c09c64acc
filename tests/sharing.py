"""Data built once per test module, like Django's ``TestCase.setUpTestData``.

The first test of a module that asks for shared data (the ``world``, a loaded demo) opens an
outer transaction and builds the data in it. Every test then runs in its own savepoint inside
it (pytest-django's ``db``) and gets a deep copy of the Python objects, so neither rows nor
in-memory changes leak into the next test. The outer transaction is rolled back at the end of
the module, and before any test that wants other shared data or none at all.

Transactional tests (``transaction=True``, ``live_server``) commit for real and flush the
database afterwards, so they never run inside the outer transaction: it is rolled back before
them and they get freshly built, committed data of their own. pytest-django runs them after
the other database tests, and ``order_items`` keeps the tests of a module that share the same
data together, so each module builds its data about once.

Use: ``world_data = module_data(build_world, name="world_data")`` and a function fixture
``def world(world_data, db): return world_data.get()``.
"""

import copy
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db import transaction
from pytest_django.fixtures import validate_django_db

# Names of the module-scoped fixtures made by ``module_data``.
SHARED_FIXTURES: set[str] = set()


class _State:
    item: pytest.Item | None = None  # the test being set up
    outer: "ModuleTransaction | None" = None  # the module's, while its module fixture lives


def before_setup(item: pytest.Item) -> None:
    """From ``pytest_runtest_setup`` (tryfirst): runs before any fixture of ``item``."""
    _State.item = item
    if _State.outer is not None:
        if _State.outer.module is getattr(item, "module", None):
            _State.outer.enter(item)
        else:
            _State.outer.close()


def module_transaction_fixture(request, blocker):
    """The body of the ``module_transaction`` fixture (tests/conftest.py)."""
    outer = ModuleTransaction(request.module, blocker)
    _State.outer = outer
    outer.enter(_State.item)
    try:
        yield outer
    finally:
        outer.close()
        _State.outer = None


def is_transactional(item: pytest.Item) -> bool:
    """The same test as pytest-django's: such a test commits and flushes the database."""
    marker = item.get_closest_marker("django_db")
    if marker:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(names))


def shared_data_of(item: pytest.Item) -> tuple[str, ...]:
    """The shared data ``item`` gets from the outer transaction (none for a transactional test)."""
    if is_transactional(item):
        return ()
    return tuple(sorted(name for name in getattr(item, "fixturenames", ()) if name in SHARED_FIXTURES))


class ModuleTransaction:
    """The outer transaction of one module and the shared data built in it."""

    def __init__(self, module, blocker):
        self.module = module
        self.blocker = blocker
        self.builders: dict[str, Callable[[], object]] = {}
        self.data: dict[str, object] = {}
        self.wanted: tuple[str, ...] = ()
        self.atomic = None

    def enter(self, item: pytest.Item) -> None:
        """Before ``item``'s fixtures are set up: the outer transaction holds just what it wants."""
        wanted = shared_data_of(item)
        if wanted == self.wanted:
            return
        self.close()
        if wanted:
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
            self.wanted = wanted
            for name in wanted:
                if name in self.builders:
                    self._build(name)

    def register(self, name: str, builder: Callable[[], object]) -> "Shared":
        """Called when the module's shared-data fixture is first set up (before any test's ``db``)."""
        self.builders[name] = builder
        if self.atomic is not None and name in self.wanted:
            self._build(name)
        return Shared(self, name)

    def _build(self, name: str) -> None:
        with self.blocker.unblock():
            try:
                self.data[name] = self.builders[name]()
            except BaseException:
                self.close()
                raise

    def get(self, name: str) -> object:
        if name in self.data:
            # A copy, like TestCase's TestData: a test may change the objects freely.
            data = self.data[name]
            return CopyOnRead(data) if isinstance(data, SimpleNamespace) else copy.deepcopy(data)
        # A transactional test: its own data, committed (and flushed after the test).
        return self.builders[name]()

    def close(self) -> None:
        self.data.clear()
        self.wanted = ()
        if self.atomic is None:
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class CopyOnRead:
    """A namespace whose attributes are deep copies of the shared one's, made on first read.

    Copying the whole world for every test would cost more than most tests; like Django's
    TestData, one memo per test keeps objects that several attributes share shared.
    """

    def __init__(self, shared: SimpleNamespace):
        vars(self)["_shared"] = shared
        vars(self)["_memo"] = {}

    def __getattr__(self, name: str):  # only for attributes not read (or set) yet
        value = copy.deepcopy(getattr(vars(self)["_shared"], name), vars(self)["_memo"])
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        names = sorted({*vars(vars(self)["_shared"]), *vars(self)} - {"_shared", "_memo"})
        return f"<world copy: {', '.join(names)}>"


class Shared:
    """What a ``module_data`` fixture gives: ``get()`` returns this test's copy of the data."""

    def __init__(self, outer: ModuleTransaction, name: str):
        self.outer = outer
        self.name = name

    def get(self):
        return self.outer.get(self.name)


def module_data(builder: Callable[[], object], *, name: str):
    """A module-scoped fixture ``name`` whose data ``builder()`` makes once per module.

    Pair it with a function fixture that also asks for ``db`` and returns ``<name>.get()``.
    """
    SHARED_FIXTURES.add(name)

    @pytest.fixture(scope="module", name=name)
    def fixture(module_transaction: ModuleTransaction) -> Shared:
        return module_transaction.register(name, builder)

    return fixture


def order_items(items: list[pytest.Item]) -> None:
    """Within pytest-django's order (database tests, transactional tests, the rest), keep the
    tests of a module together and, inside a module, the tests that share the same data."""
    from pytest_django.plugin import django_settings_is_configured

    if not django_settings_is_configured():
        return

    def group(item: pytest.Item) -> int:
        if is_transactional(item):
            return 1
        uses_db = item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ())
        return 0 if uses_db else 2

    def key(item: pytest.Item) -> tuple:
        module = getattr(item, "module", None)
        return (
            group(item),
            modules.setdefault(module, len(modules)),
            kinds.setdefault((module, shared_data_of(item)), len(kinds)),
        )

    modules: dict[object, int] = {}
    kinds: dict[tuple, int] = {}
    for item in items:  # first appearance after pytest-django's sort decides the order
        key(item)
    items.sort(key=key)
