import pytest
from django.utils import translation

from digibank.lib.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def in_english(settings):
    """Tests read the English msgids; the interface itself is Dutch by default."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()
