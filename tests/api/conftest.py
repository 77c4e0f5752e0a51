import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Personas
from warmhome.accounts.models import ApiToken, User
from warmhome.accounts.tokens import api_token_issue


def issue_token(user: User, **overrides: object) -> tuple[ApiToken, str]:
    expires_at = overrides.pop("expires_at", timezone.now() + datetime.timedelta(days=30))
    return api_token_issue(actor=user, user=user, name="对接测试", expires_at=expires_at)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def street_a_client(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.street_a_cadre)
    return client
