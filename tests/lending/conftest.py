import io

import pytest
from pypdf import PdfReader

from digibank.lib.sms import LocmemSmsBackend


@pytest.fixture
def sms_outbox():
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


def pdf_language(data: bytes) -> str | None:
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    return str(root.get("/Lang")) if root.get("/Lang") else None
