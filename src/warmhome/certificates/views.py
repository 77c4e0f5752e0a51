"""The public certificate check (证书查验): by QR code, or by number and verification code."""

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from warmhome.certificates import selectors
from warmhome.certificates.selectors import Verdict
from warmhome.core.views_base import scope_exempt

PUBLIC_REASON = (
    "public certificate check: shows only the facts printed on the certificate, holder masked"
)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("证书编号"), max_length=40)
    code = forms.CharField(label=_("验证码"), max_length=64)


@scope_exempt(PUBLIC_REASON)
def certificate_verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return HttpResponseRedirect(
            reverse(
                "certificates:certificate_verify",
                kwargs={
                    "number": form.cleaned_data["number"].strip().upper(),
                    "signature": form.cleaned_data["code"].strip().lower(),
                },
            )
        )
    return render(request, "certificates/certificate_verify_form.html", {"form": form})


@scope_exempt(PUBLIC_REASON)
def certificate_verify(request: HttpRequest, number: str, signature: str) -> HttpResponse:
    verification = selectors.certificate_verify(number=number, signature=signature)
    status = 200 if verification.verdict == Verdict.VALID else 404
    if verification.verdict == Verdict.REVOKED:
        status = 410
    return render(
        request,
        "certificates/certificate_verify.html",
        {"verification": verification, "verdict": str(verification.verdict), "number": number},
        status=status,
    )
