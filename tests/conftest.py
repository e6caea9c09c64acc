import pytest
from django.test import Client

from .world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for():
    """``client_for(user)``: a test client logged in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
