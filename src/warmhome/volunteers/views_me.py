"""A volunteer's own page (phone-size): her hours, star level and certificates.

She reaches it signed in with her own account (``Volunteer.user``): the platform's sign-in,
lockout and two-factor rules protect it, and no bearer link can leak through a forwarded SMS.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warmhome.core.views_base import scope_exempt
from warmhome.people.rendering import render_person
from warmhome.volunteers import selectors, services_certificates
from warmhome.volunteers.forms import CorrectionRequestForm
from warmhome.volunteers.models import Volunteer, VolunteerCertificate
from warmhome.volunteers.views_records import certificate_pdf_response
from warmhome.volunteers.workflows import SERVICE_RECORD

OWN_REASON = "the signed-in volunteer's own profile, hours and certificates only"


def _own_volunteer(request: HttpRequest) -> Volunteer | None:
    return (
        Volunteer.objects.filter(user_id=request.user.pk)
        .select_related("person", "person__org", "org")
        .first()
    )


def _own_certificate(request: HttpRequest, certificate_id: int) -> VolunteerCertificate:
    certificate = (
        VolunteerCertificate.objects.filter(pk=certificate_id, volunteer__user_id=request.user.pk)
        .select_related("certificate", "volunteer")
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


@scope_exempt(OWN_REASON)
@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    volunteer = _own_volunteer(request)
    context: dict[str, Any] = {"volunteer": volunteer}
    if volunteer is not None:
        context.update(
            shown=render_person(volunteer.person, viewer=request.user, context="detail"),
            totals=selectors.volunteer_totals(volunteer),
            records=[
                (record, SERVICE_RECORD.state_label(record.state))
                for record in selectors.volunteer_records(volunteer)[:100]
            ],
            certificates=list(
                volunteer.certificates.select_related("certificate").order_by("-created_at")
            ),
            form=CorrectionRequestForm(),
        )
    return render(request, "volunteers/my_page.html", context)


@scope_exempt(OWN_REASON)
@login_required
def my_certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    return certificate_pdf_response(request, _own_certificate(request, certificate_id))


@scope_exempt(OWN_REASON)
@login_required
@require_POST
def my_correction_request(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = _own_certificate(request, certificate_id)
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        try:
            services_certificates.certificate_correction_request(
                actor=request.user,
                volunteer_certificate=certificate,
                message=form.cleaned_data["message"],
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已提交更正申请，出具单位处理后会通知您。"))
    else:
        messages.error(request, _("请说明需要更正的内容。"))
    return redirect("volunteers:my_page")
