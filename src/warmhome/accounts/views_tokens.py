"""我的接口令牌: a user lists, creates and revokes her own personal API tokens."""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from warmhome.accounts.models import ApiToken, User
from warmhome.accounts.tokens import NAME_MAX_LENGTH, api_token_issue, api_token_revoke
from warmhome.core.audit.services import security_event_log
from warmhome.core.views_base import scope_exempt

OWN_TOKENS = "own tokens only: every query is filtered by user=request.user"


class ApiTokenForm(forms.Form):
    LIFETIME_CHOICES = [
        (30, gettext_lazy("30 天")),
        (90, gettext_lazy("90 天")),
        (180, gettext_lazy("180 天")),
        (365, gettext_lazy("一年")),
    ]

    name = forms.CharField(
        label=gettext_lazy("名称"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("写明用途或对接的系统，便于日后识别和撤销。"),
    )
    lifetime_days = forms.TypedChoiceField(
        label=gettext_lazy("有效期"), choices=LIFETIME_CHOICES, coerce=int, initial=90
    )

    def expires_at(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["lifetime_days"])


class SignedInRequest(HttpRequest):
    """The request of a ``login_required`` view."""

    user: User


@dataclass(frozen=True, slots=True)
class TokenRow:
    token: ApiToken
    state: str
    state_label: str


def _own_tokens(request: SignedInRequest) -> list[TokenRow]:
    now = timezone.now()
    rows = []
    for token in ApiToken.objects.filter(user=request.user).order_by("-created_at"):
        if token.revoked_at is not None:
            rows.append(TokenRow(token, "revoked", _("已撤销")))
        elif token.expires_at is not None and token.expires_at <= now:
            rows.append(TokenRow(token, "expired", _("已过期")))
        else:
            rows.append(TokenRow(token, "active", _("有效")))
    return rows


def _list_page(request: SignedInRequest, form: ApiTokenForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/apitoken_list.html",
        {"rows": _own_tokens(request), "form": form},
        status=status,
    )


@scope_exempt(OWN_TOKENS)
@login_required
@require_GET
def apitoken_list(request: SignedInRequest) -> HttpResponse:
    return _list_page(request, ApiTokenForm())


@scope_exempt(OWN_TOKENS)
@login_required
@require_POST
@never_cache
def apitoken_create(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        token, value = api_token_issue(
            actor=request.user,
            user=request.user,
            name=form.cleaned_data["name"],
            expires_at=form.expires_at(),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _list_page(request, form, status=400)
    # Shown on this response only: the value is not stored anywhere in clear.
    return render(request, "accounts/apitoken_created.html", {"token": token, "value": value})


@scope_exempt(OWN_TOKENS)
@login_required
@require_POST
def apitoken_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        if ApiToken.objects.filter(pk=pk).exists():
            security_event_log(
                event="access_denied",
                actor=request.user,
                detail={"model": ApiToken._meta.label, "pk": str(pk), "action": "revoke"},
            )
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("已撤销接口令牌“%(name)s”。") % {"name": token.name})
    return redirect("accounts:apitoken_list")
