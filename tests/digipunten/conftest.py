import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english(settings):
    """Tests read the English msgids; the interface itself is Dutch by default."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
