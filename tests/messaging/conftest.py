import copy
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from digibank.lib.sms import LocmemSmsBackend
from digibank.messaging.models import OutboundMessage


@pytest.fixture
def sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(autouse=True)
def test_templates(settings):
    """Templates of a test message (``messaging_test``), in tests/messaging/templates."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.fixture(autouse=True)
def empty_outbox(request):
    """Building the world queues messages (appointment confirmations): these tests start empty."""
    if "world" in request.fixturenames:
        request.getfixturevalue("world")
        OutboundMessage.objects.all().delete()
