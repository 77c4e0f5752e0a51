"""Service hours, their approval and correction; certificates and correction requests."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from warmhome.certificates.selectors import certificate_pdf_bytes
from warmhome.core.documents.pdf import PDF_CONTENT_TYPE
from warmhome.core.views_base import ScopedDetailView, ScopedListView
from warmhome.core.workflows.selectors import timeline
from warmhome.core.workflows.services import may_take
from warmhome.people.rendering import render_person
from warmhome.volunteers import services_certificates, services_hours
from warmhome.volunteers.forms import (
    CertificateIssueForm,
    CorrectionForm,
    DecisionForm,
    RecordForm,
)
from warmhome.volunteers.models import (
    CertificateCorrection,
    ServiceRecord,
    Volunteer,
    VolunteerCertificate,
)
from warmhome.volunteers.views import apply_errors
from warmhome.volunteers.workflows import CERTIFICATE_CORRECTION, SERVICE_RECORD


class RecordListView(ScopedListView):
    model = ServiceRecord
    action = "volunteers.view"
    template_name = "volunteers/record_list.html"
    context_object_name = "records"

    def base_queryset(self) -> Any:
        records = ServiceRecord.objects.select_related(
            "org", "category", "volunteer", "volunteer__person", "volunteer__person__org"
        ).order_by("-service_date", "-pk")
        state = self.request.GET.get("state", "")
        if state in SERVICE_RECORD._states:
            records = records.filter(state=state)
        return records

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["rows"] = [
            (
                record,
                render_person(record.volunteer.person, viewer=user, context="list"),
                SERVICE_RECORD.state_label(record.state),
            )
            for record in context["records"]
        ]
        context["states"] = [(state.code, state.label) for state in SERVICE_RECORD.states]
        context["state"] = self.request.GET.get("state", "")
        return context


class RecordDetailView(ScopedDetailView):
    model = ServiceRecord
    action = "volunteers.view"
    template_name = "volunteers/record_detail.html"
    context_object_name = "record"

    def base_queryset(self) -> Any:
        return ServiceRecord.objects.select_related(
            "org", "category", "volunteer", "volunteer__person", "volunteer__person__org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        record: ServiceRecord = self.object
        user: Any = self.request.user
        context.update(
            shown=render_person(record.volunteer.person, viewer=user, context="list"),
            state_label=SERVICE_RECORD.state_label(record.state),
            steps=timeline(record),
            corrections=list(record.corrections.select_related("actor")),
            transitions=[
                transition
                for transition in SERVICE_RECORD.transitions_from(record.state)
                if may_take(user, transition, record)
            ],
            may_correct=record.state in ("pending", "approved")
            and user.has_action("volunteers.approve_hours", record.org),
            correction_form=kwargs.get("correction_form")
            or CorrectionForm(
                initial={
                    "started_at": record.started_at,
                    "ended_at": record.ended_at,
                    "hours": record.hours,
                    "content": record.content,
                }
            ),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """A workflow decision (``transition``) or a correction (``reason`` …)."""
        record: Any = self.get_object()
        self.object = record
        if "transition" in request.POST:
            form = DecisionForm(request.POST)
            if form.is_valid():
                try:
                    services_hours.service_record_decide(
                        actor=request.user,
                        record=record,
                        transition=form.cleaned_data["transition"],
                        comment=form.cleaned_data["comment"],
                    )
                except (ValidationError, ValueError, LookupError) as problem:
                    for message in getattr(problem, "messages", [str(problem)]):
                        messages.error(request, message)
                else:
                    messages.success(request, _("已办理。"))
            return redirect("volunteers:record_detail", pk=record.pk)
        correction = CorrectionForm(request.POST)
        if correction.is_valid():
            try:
                services_hours.service_record_correct(
                    actor=request.user, record=record, **correction.cleaned_data
                )
            except ValidationError as problem:
                apply_errors(correction, problem)
            else:
                messages.success(request, _("已更正，原记录保留在更正历史中。"))
                return redirect("volunteers:record_detail", pk=record.pk)
        return self.render_to_response(self.get_context_data(correction_form=correction))


class RecordCreateView(ScopedDetailView):
    """Hours entered by hand for one volunteer (``pk``): pending until approved."""

    model = Volunteer
    action = "volunteers.view"
    template_name = "volunteers/form.html"

    def _render(self, form: Any, volunteer: Volunteer) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("录入服务时长"), "volunteer": volunteer},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer: Any = self.get_object()
        return self._render(
            RecordForm(user=request.user, initial={"org": volunteer.org}), volunteer
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer: Any = self.get_object()
        form = RecordForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                record = services_hours.service_record_enter(
                    actor=request.user, volunteer=volunteer, **form.service_values()
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已录入，待审核通过后计入时长。"))
                return redirect("volunteers:record_detail", pk=record.pk)
        return self._render(form, volunteer)


class CertificateIssueView(ScopedDetailView):
    model = Volunteer
    action = "volunteers.view"
    template_name = "volunteers/form.html"

    def _render(self, form: Any) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": _("出具志愿服务记录证明")}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.get_object()
        return self._render(CertificateIssueForm(user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer: Any = self.get_object()
        form = CertificateIssueForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_certificates.volunteer_certificate_issue(
                    actor=request.user,
                    volunteer=volunteer,
                    org=data["org"],
                    signers=services_certificates.CertificateSigners(
                        data["responsible_person"], data["handler"], data["contact"]
                    ),
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已出具证明。"))
                return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
        return self._render(form)


def certificate_pdf_response(
    request: HttpRequest, certificate: VolunteerCertificate
) -> HttpResponse:
    content = certificate_pdf_bytes(
        certificate.certificate, site_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.certificate.number}.pdf"'
    )
    return response


class CertificatePdfView(ScopedDetailView):
    model = VolunteerCertificate
    action = "volunteers.view"

    def base_queryset(self) -> Any:
        return VolunteerCertificate.objects.select_related("certificate")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return certificate_pdf_response(request, self.get_object())  # type: ignore[arg-type]


class CorrectionListView(ScopedListView):
    model = CertificateCorrection
    action = "volunteers.view"
    template_name = "volunteers/correction_list.html"
    context_object_name = "corrections"

    def base_queryset(self) -> Any:
        return CertificateCorrection.objects.select_related(
            "volunteer_certificate__certificate", "org"
        ).order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (correction, CERTIFICATE_CORRECTION.state_label(correction.state))
            for correction in context["corrections"]
        ]
        return context


class CorrectionDetailView(ScopedDetailView):
    model = CertificateCorrection
    action = "volunteers.view"
    template_name = "volunteers/correction_detail.html"
    context_object_name = "correction"

    def base_queryset(self) -> Any:
        return CertificateCorrection.objects.select_related(
            "volunteer_certificate__certificate", "volunteer_certificate__volunteer", "org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        correction: CertificateCorrection = self.object
        user: Any = self.request.user
        context.update(
            state_label=CERTIFICATE_CORRECTION.state_label(correction.state),
            steps=timeline(correction),
            may_decide=correction.state == "requested"
            and user.has_action("volunteers.certify", correction.org),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        correction: Any = self.get_object()
        try:
            services_certificates.certificate_correction_decide(
                actor=request.user,
                correction=correction,
                confirm=request.POST.get("decision") == "confirm",
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已处理更正申请。"))
        return redirect("volunteers:correction_detail", pk=correction.pk)
