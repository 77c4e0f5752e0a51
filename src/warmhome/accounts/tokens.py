"""Personal API tokens: issued once in clear, stored only as a hash.

A token is checked on every API call (``api_token_authenticate``). A token that is unknown,
revoked, expired or whose owner is disabled is refused, and the refusal is a security event in
the audit trail (with the owner's name where known, never the token itself).

``last_used_at`` is written through an ordinary audited save, at most once a minute per token
(``api_token_touch``). We keep it audited on purpose: each such line records that the token was
used, when and from which address, which is the access record 等保 asks for, and the throttle
bounds the trail to one line per token per minute of use.
"""

import datetime
import hashlib
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.accounts.models import ApiToken, User
from warmhome.core.audit.services import security_event_log
from warmhome.core.compiled_query import CompiledQuery

PREFIX_LENGTH = 8
NAME_MAX_LENGTH = 100
#: how stale ``last_used_at`` may get before a use is written down again
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_value() -> str:
    return "wh_" + secrets.token_urlsafe(32)


def rejection_reason(record: ApiToken | None, *, now: datetime.datetime) -> str:
    """Why ``record`` may not be used now ("" when it may)."""
    if record is None:
        return "unknown"
    if record.revoked_at is not None:
        return "revoked"
    if record.expires_at is not None and record.expires_at <= now:
        return "expired"
    if not record.user.is_active:
        return "user_disabled"
    return ""


#: the token of a hash, with its user: compiled once, as every API request asks it
_token_by_hash = CompiledQuery(
    lambda key_hash: ApiToken.objects.select_related("user").filter(key_hash=key_hash)[:1],
    slots=1,
)


def api_token_authenticate(*, value: str) -> ApiToken | None:
    """The usable token whose clear value is ``value``; log and refuse any other."""
    found = _token_by_hash(hash_token(value))
    record = found[0] if found else None
    reason = rejection_reason(record, now=timezone.now())
    if not reason:
        return record
    detail: dict[str, Any] = {"reason": reason}
    username = ""
    if record is not None:
        detail.update(token_id=record.pk, token_name=record.name, token_prefix=record.key_prefix)
        username = record.user.get_username()
    security_event_log(event="api_token_rejected", username=username, detail=detail)
    return None


def api_token_touch(*, token: ApiToken) -> bool:
    """Write down that ``token`` was used, unless that was done less than a minute ago."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return False
    token.last_used_at = now
    token.save(update_fields=["last_used_at", "updated_at"])
    return True


@transaction.atomic
def api_token_issue(
    *,
    actor: Any,
    user: User,
    name: str,
    expires_at: datetime.datetime | None,
) -> tuple[ApiToken, str]:
    """Issue a token to ``user``; the clear value is returned here and never again."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("只能为自己签发接口令牌。"))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称，例如用途或对接的系统。")})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("令牌名称不能超过 %(limit)d 个字符。") % {"limit": NAME_MAX_LENGTH}}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("过期时间必须晚于现在。")})
    if not user.is_active:
        raise ValidationError(_("该账号已停用，不能签发接口令牌。"))
    value = new_token_value()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=value[:PREFIX_LENGTH],
        key_hash=hash_token(value),
        expires_at=expires_at,
    )
    return token, value


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke ``token`` (its owner's own); revoking twice changes nothing."""
    if actor is not None and actor.pk != token.user_id:
        raise PermissionDenied(_("只能撤销自己的接口令牌。"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token
