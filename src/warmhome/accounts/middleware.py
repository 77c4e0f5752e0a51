"""Session rules of the security baseline (等保 level 3): idle timeout, password age, two factors.

Both middlewares act in ``process_view``, after URL resolution, so that they can tell exempt
pages by namespace and so that their redirects pass back through the messages, CSP and other
middlewares like any view response.
"""

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_otp import user_has_device

from warmhome.accounts.models import Post
from warmhome.core.audit.services import security_event_log

LAST_ACTIVITY_KEY = "warmhome_last_activity"
# Refresh the idle clock at most once a minute: a session write per request would cost every
# page a database write for a precision nobody needs.
ACTIVITY_RESOLUTION_SECONDS = 60

ViewFunc = Callable[..., HttpResponse]

# Pages every signed-in user may reach whatever the gate says: the public portal, switching the
# language, signing in and out, and the pages that satisfy the gate themselves.
_OPEN_NAMESPACES = frozenset({"portal"})
_SIGN_IN_OUT = frozenset({("accounts", "login"), ("accounts", "logout")})
_TWO_FACTOR_PAGES = frozenset(
    {
        ("accounts", "two_factor_setup"),
        ("accounts", "two_factor_verify"),
        ("accounts", "two_factor_recovery"),
    }
)
_PASSWORD_PAGE = ("accounts", "password_change")


def idle_clock_start(request: HttpRequest) -> None:
    """Start the idle clock of a freshly signed-in session."""
    request.session[LAST_ACTIVITY_KEY] = int(time.time())


def _configured(name: str) -> Any:
    """A setting that is either a value or the dotted path of a function giving it (the
    policy-table rules of ``rules.security``)."""
    value = getattr(settings, name)
    return import_string(value)() if isinstance(value, str) else value


def password_max_age_days() -> int:
    """Days after which a password must be changed; 0: never."""
    return int(_configured("PASSWORD_MAX_AGE_DAYS"))


def session_idle_timeout() -> timedelta:
    """Idle time after which a session is signed out."""
    timeout: timedelta = _configured("SESSION_IDLE_TIMEOUT")
    return timeout


def password_change_due(user: Any) -> bool:
    """Whether ``user`` must change the password before doing anything else.

    An administrator-created or reset account must; so must one whose password is older than
    ``PASSWORD_MAX_AGE_DAYS`` (0 switches the age rule off). The age rule is enforced, not merely
    suggested: 等保 asks that passwords *be* changed within 90 days, and a dismissible prompt
    does not achieve that.
    """
    if user.must_change_password:
        return True
    max_age_days = password_max_age_days()
    if not max_age_days:
        return False
    # Accounts that never changed their password count from the day they were created.
    changed_at = user.password_changed_at or user.date_joined
    return bool(timezone.now() - changed_at > timedelta(days=max_age_days))


def two_factor_required(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor (TOTP)."""
    if not settings.WARMHOME_REQUIRE_2FA:
        return False
    if user.is_superuser:
        return True
    return Post.objects.current().filter(user=user, role__requires_two_factor=True).exists()


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _judged_by_token(request: HttpRequest) -> bool:
    # An API call with a bearer token is judged by the token alone (see api/auth.py), never by a
    # session cookie that happens to ride along.
    return _is_api(request) and request.headers.get("Authorization", "").startswith("Bearer ")


def _is_always_open(request: HttpRequest) -> bool:
    if request.path_info.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    match = request.resolver_match
    if match is None:
        return True
    return (
        match.namespace in _OPEN_NAMESPACES
        or match.route.startswith("i18n/")
        or (match.namespace, match.url_name) in _SIGN_IN_OUT
    )


def _send_to(
    request: HttpRequest, url_name: str, *, api_detail: str, api_status: int
) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": api_detail}, status=api_status)
    url = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # A plain redirect would swap the login page into a fragment of the page.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Sign out a session left idle longer than ``SESSION_IDLE_TIMEOUT``."""

    def __init__(self, get_response: ViewFunc) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: ViewFunc, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _judged_by_token(request):
            return None
        now = int(time.time())
        last_activity = request.session.get(LAST_ACTIVITY_KEY)
        timeout = int(session_idle_timeout().total_seconds())
        if last_activity is not None and now - last_activity > timeout:
            return self._expire(request, user, idle_seconds=now - last_activity)
        if last_activity is None or now - last_activity >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now
        return None

    def _expire(self, request: HttpRequest, user: Any, *, idle_seconds: int) -> HttpResponse | None:
        security_event_log(
            event="session_expired",
            actor=user,
            outcome="success",
            detail={"idle_seconds": idle_seconds, "path": request.path_info[:200]},
        )
        logout(request)
        if _is_always_open(request):
            # A public page or the login page itself: carry on as an anonymous visitor.
            return None
        if not _is_api(request):
            messages.warning(request, _("由于长时间未操作，您已自动退出，请重新登录。"))
        return _send_to(
            request,
            settings.LOGIN_URL,
            api_detail=_("会话已过期，请重新登录。"),
            api_status=401,
        )


class SecurityGateMiddleware:
    """Send a signed-in user through the second factor and a due password change first.

    Order: a user who already has an authenticator verifies it before anything, the password
    change included (otherwise a stolen password alone could change the password); then a due
    password change; then, for a first sign-in, setting up the authenticator.
    """

    def __init__(self, get_response: ViewFunc) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: ViewFunc, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _judged_by_token(request):
            return None
        if _is_always_open(request):
            return None
        match = request.resolver_match
        page = (match.namespace, match.url_name) if match else ("", "")
        if page in _TWO_FACTOR_PAGES:
            return None
        # The setting first: with two factors off the gate costs no query at all.
        needs_second_factor = (
            settings.WARMHOME_REQUIRE_2FA and not user.is_verified() and two_factor_required(user)
        )
        has_device = needs_second_factor and user_has_device(user, confirmed=True)
        if has_device:
            return self._to_two_factor(request, "accounts:two_factor_verify")
        if page == _PASSWORD_PAGE:
            return None
        if password_change_due(user):
            if not _is_api(request):
                messages.info(request, self._password_reason(user))
            return _send_to(
                request,
                "accounts:password_change",
                api_detail=_("请先修改密码。"),
                api_status=403,
            )
        if needs_second_factor:
            return self._to_two_factor(request, "accounts:two_factor_setup")
        return None

    def _to_two_factor(self, request: HttpRequest, url_name: str) -> HttpResponse:
        return _send_to(request, url_name, api_detail=_("请先完成双因素认证。"), api_status=403)

    def _password_reason(self, user: Any) -> str:
        if user.must_change_password:
            return _("为保障账号安全，首次登录或密码被重置后须先修改密码。")
        return _("您的密码已使用超过 %(days)d 天，请先修改密码。") % {
            "days": password_max_age_days()
        }
