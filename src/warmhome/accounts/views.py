"""Pages of the accounts app.

Signing in and out, the own password and the second factor show only the signed-in user's own
account, so each is ``scope_exempt``.
"""

import math
from base64 import b32encode
from binascii import unhexlify
from datetime import datetime, timedelta
from typing import Any

import segno
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from warmhome.accounts import selectors, services
from warmhome.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    RecoveryCodeForm,
    TwoFactorTokenForm,
)
from warmhome.accounts.middleware import two_factor_required
from warmhome.accounts.models import User
from warmhome.core.views_base import scope_exempt

# --- signing in, passwords, two factors (security baseline) ---------------------------------

TOTP_SETUP_KEY = "warmhome_totp_setup_key"
#: a freshly issued set of recovery codes, shown once by the next page
FRESH_RECOVERY_CODES_KEY = "warmhome_fresh_recovery_codes"


class SignedInRequest(HttpRequest):
    """The request of a ``login_required`` view."""

    user: User


class LoginView(auth_views.LoginView):
    scope_exempt = "signing in shows no records"
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cool_off = get_cool_off(self.request)
        return super().get_context_data(
            failure_limit=get_failure_limit(self.request, {}),
            lockout_minutes=int(cool_off.total_seconds() // 60) if cool_off else 0,
            **kwargs,
        )


class LogoutView(auth_views.LogoutView):
    scope_exempt = "signing out shows no records"


def _lockout_ends_at(request: HttpRequest, username: str) -> datetime:
    last_failure = AccessAttempt.objects.filter(username=username).aggregate(
        last=Max("attempt_time")
    )["last"]
    cool_off: timedelta = get_cool_off(request)
    return (last_failure or timezone.now()) + cool_off


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """What a locked-out account sees (django-axes calls this)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    ends_at = _lockout_ends_at(request, username)
    minutes = max(1, math.ceil((ends_at - timezone.now()).total_seconds() / 60))
    context = {
        "failure_limit": get_failure_limit(request, credentials or {}),
        "retry_at": timezone.localtime(ends_at),
        "minutes": minutes,
    }
    # 429, not 403: the account is not forbidden, it is resting after too many attempts.
    return render(request, "accounts/locked_out.html", context, status=429)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@scope_exempt("the signed-in user's own password")
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_set(
                actor=request.user,
                user=request.user,
                new_password=form.cleaned_data["new_password1"],
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return HttpResponseRedirect(_next_url(request))
    context = {
        "form": form,
        "forced": request.user.must_change_password,
        "next": _next_url(request),
    }
    return render(request, "accounts/password_change.html", context)


def _redirect_keeping_next(
    request: HttpRequest, url_name: str, next_url: str | None = None
) -> HttpResponse:
    next_url = next_url or request.GET.get("next")
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return HttpResponseRedirect(reverse(url_name) + query)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@scope_exempt("the signed-in user's own authenticator")
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:two_factor_verify")
    # The key lives in the session until the app proves it holds it: no half-set-up devices.
    key = request.session.get(TOTP_SETUP_KEY) or random_hex(20)
    request.session[TOTP_SETUP_KEY] = key
    form = TwoFactorTokenForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(
                actor=request.user, key=key, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error("token", error)
        else:
            del request.session[TOTP_SETUP_KEY]
            otp_login(request, device)
            messages.success(request, _("验证器应用已设置。以后每次登录都需输入其显示的验证码。"))
            request.session[FRESH_RECOVERY_CODES_KEY] = services.recoverycodes_issue(
                actor=request.user
            )
            return _redirect_keeping_next(request, "accounts:recovery_codes", _next_url(request))
    config_url = TOTPDevice(user=request.user, key=key).config_url
    qr_svg = segno.make(config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
    context = {
        "form": form,
        # segno writes the SVG itself; the only data in it is the encoded path.
        "qr_svg": mark_safe(qr_svg),  # noqa: S308
        "secret": _grouped(b32encode(unhexlify(key)).decode()),
        "required": two_factor_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@scope_exempt("the signed-in user's own authenticator")
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: SignedInRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
        return HttpResponseRedirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:two_factor_setup")
    form = TwoFactorTokenForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_verify(
                actor=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@scope_exempt("the signed-in user's own recovery codes")
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_recovery(request: SignedInRequest) -> HttpResponse:
    """The second factor by a recovery code, when the phone is not at hand."""
    if request.user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
        return HttpResponseRedirect(_next_url(request))
    if not user_has_device(request.user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:two_factor_setup")
    form = RecoveryCodeForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.recoverycode_use(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            otp_login(request, device)
            messages.warning(
                request,
                _(
                    "已使用一个恢复码，还剩 %(left)d 个。手机丢失时，请联系系统管理员重置验证器；"
                    "恢复码用完前，可在“恢复码”页重新生成。"
                )
                % {"left": selectors.recoverycodes_left(request.user)},
            )
            return HttpResponseRedirect(_next_url(request))
    return render(
        request, "accounts/two_factor_recovery.html", {"form": form, "next": _next_url(request)}
    )


@scope_exempt("the signed-in user's own recovery codes")
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: SignedInRequest) -> HttpResponse:
    """The account's recovery codes: a new set is shown once; issuing one replaces the old."""
    if not user_has_device(request.user, confirmed=True):
        return _redirect_keeping_next(request, "accounts:two_factor_setup")
    if not request.user.is_verified():  # type: ignore[attr-defined]  # set by OTPMiddleware
        # New codes are as good as the app: only a session verified by it may issue them.
        return _redirect_keeping_next(request, "accounts:two_factor_verify", request.path)
    if request.method == "POST":
        request.session[FRESH_RECOVERY_CODES_KEY] = services.recoverycodes_issue(actor=request.user)
        return _redirect_keeping_next(request, "accounts:recovery_codes", _next_url(request))
    context = {
        "codes": request.session.pop(FRESH_RECOVERY_CODES_KEY, None),
        "left": selectors.recoverycodes_left(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/recovery_codes.html", context)
