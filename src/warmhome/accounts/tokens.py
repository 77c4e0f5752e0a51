"""Personal API tokens: issued once in clear, stored as a hash."""

import hashlib
import secrets
from typing import Any

from django.utils import timezone

from warmhome.accounts.models import ApiToken

PREFIX_LENGTH = 8


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_value() -> str:
    return "wh_" + secrets.token_urlsafe(32)


def user_for_token(token: str) -> Any:
    """The active user owning ``token``, or None (revoked, expired, disabled or unknown)."""
    record = (
        ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    )
    if record is None or record.revoked_at is not None:
        return None
    if record.expires_at is not None and record.expires_at <= timezone.now():
        return None
    if not record.user.is_active:
        return None
    return record.user
