import pytest
from django.test import Client

from digibank.accounts.services import api_token_create


def token_for(user, network=None) -> str:
    """A fresh raw token of ``user`` in ``network`` (default: their first network)."""
    if network is None:
        network = user.memberships.order_by("pk").first().network
    _token, raw = api_token_create(user=user, network=network, name="test")
    return raw


@pytest.fixture
def api_for():
    """``api_for(user)``: a test client that sends a token of that user with every request."""

    def make(user, network=None) -> Client:
        # Tests read the English msgids, whatever the owner's own language.
        return Client(
            headers={"Authorization": f"Bearer {token_for(user, network)}", "Accept-Language": "en"}
        )

    return make
