"""The public site's message form (门户网站留言): anyone may leave an opinion for a community,
without signing in. Rate-limited per address; the answer tells nothing but "received"."""

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from warmhome.core import ratelimit
from warmhome.core.policy import policy_value
from warmhome.core.views_base import scope_exempt
from warmhome.opinions import services
from warmhome.opinions.forms import TEXT_FIELD_MAX
from warmhome.opinions.sources import PUBLIC_SITE
from warmhome.orgs.models import OrgKind, OrgUnit


class PublicOpinionForm(forms.Form):
    org = forms.ModelChoiceField(
        label=gettext_lazy("您所在的社区"),
        queryset=OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path"),
    )
    text = forms.CharField(
        label=gettext_lazy("您想反映的情况或建议"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=TEXT_FIELD_MAX,
    )
    name = forms.CharField(label=gettext_lazy("称呼（可不填）"), max_length=50, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


@scope_exempt("public page: takes a message in, shows no opinion of anyone")
@require_http_methods(["GET", "POST"])
def public_submit(request: HttpRequest) -> HttpResponse:
    form = PublicOpinionForm(request.POST or None, initial={"token": uuid.uuid4().hex})
    context: dict[str, Any] = {"form": form, "done": False}
    if request.method == "POST":
        if not ratelimit.allow(
            request,
            "opinions.public",
            int(policy_value("opinions.public_requests_per_minute")),
        ):
            context["refused"] = _("提交太频繁，请稍后再试。")
            return render(request, "opinions/public_form.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.opinion_submit(
                    actor=None,
                    channel=PUBLIC_SITE.key,
                    text=data["text"],
                    org=data["org"],
                    submitter_name=data["name"],
                    anonymous=not data["name"],
                    source_ref=f"web:{data['token']}" if data.get("token") else None,
                )
            except ValidationError as problem:
                for field_name, errors in problem.message_dict.items():
                    form.add_error(field_name if field_name in form.fields else None, errors)
            else:
                context["done"] = True
                return render(request, "opinions/public_form.html", context)
        return render(request, "opinions/public_form.html", context, status=400)
    return render(request, "opinions/public_form.html", context)
