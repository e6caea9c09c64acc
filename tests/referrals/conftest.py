import pytest

from digibank.lib.sms import LocmemSmsBackend


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()
