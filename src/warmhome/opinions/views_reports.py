"""Pages of the analysis reports (draft, suggestions, issue, archive) and of proposals."""

import os
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.documents.docx import DOCX_CONTENT_TYPE
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.core.workflows import TransitionError
from warmhome.opinions import services_work
from warmhome.opinions.forms import ProposalForm, ReplyForm, ReportCreateForm, ReportEditForm
from warmhome.opinions.models import AnalysisReport, Opinion, Proposal
from warmhome.opinions.report_document import report_docx
from warmhome.opinions.selectors import STEP
from warmhome.opinions.views import apply_errors
from warmhome.orgs.models import OrgUnit


class ReportListView(ScopedListView):
    model = AnalysisReport
    action = "opinions.report"
    template_name = "opinions/report_list.html"
    context_object_name = "reports"

    def base_queryset(self) -> Any:
        return AnalysisReport.objects.select_related("org", "issued_by").defer("document")


@scope_exempt("opens a report for a unit the form offers only within the user's posts")
@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("opinions.report"):
        raise PermissionDenied(_("您没有编写分析报告的权限。"))
    today = timezone.localdate()
    initial = {"period": "quarter", "year": today.year, "number": (today.month - 1) // 3 + 1}
    form = ReportCreateForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services_work.report_create(actor=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            return redirect("opinions:report_detail", pk=report.pk)
    return render(request, "opinions/report_form.html", {"form": form})


class ReportDetailView(ScopedDetailView):
    model = AnalysisReport
    action = "opinions.report"
    template_name = "opinions/report_detail.html"

    def base_queryset(self) -> Any:
        return AnalysisReport.objects.select_related("org", "issued_by").defer("document")

    def _render(self, report: AnalysisReport, form: ReportEditForm, status: int = 200) -> Any:
        context = {"report": report, "object": report, "form": form}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = cast(AnalysisReport, self.get_object())
        form = ReportEditForm(
            initial={"problems": report.problems, "suggestions": report.suggestions}
        )
        return self._render(report, form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = cast(AnalysisReport, self.get_object())
        form = ReportEditForm(request.POST)
        if form.is_valid():
            try:
                report = services_work.report_edit(
                    actor=request.user, report=report, **form.cleaned_data
                )
                if request.POST.get("issue") == "1":
                    report = services_work.report_issue(actor=request.user, report=report)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(
                    request, _("报告已印发并归档。") if report.is_issued else _("已保存。")
                )
                return redirect("opinions:report_detail", pk=report.pk)
        return self._render(report, form, status=400)


class ReportDownloadView(ScopedDetailView):
    """The issued document as archived; a draft is generated afresh as a preview."""

    model = AnalysisReport
    action = "opinions.report"

    def base_queryset(self) -> Any:
        return AnalysisReport.objects.select_related("org")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = cast(AnalysisReport, self.get_object())
        payload = bytes(report.document) if report.is_issued and report.document else None
        if payload is None:
            payload = report_docx(report)
        response = HttpResponse(payload, content_type=DOCX_CONTENT_TYPE)
        suffix = "" if report.is_issued else _("（草稿）")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{report.title}{suffix}.docx"
        )
        return response


class ProposalListView(ScopedListView):
    model = Proposal
    template_name = "opinions/proposal_list.html"
    context_object_name = "proposals"

    def base_queryset(self) -> Any:
        return Proposal.objects.select_related("org", "carrier").order_by("-created_at", "-pk")


def _lowest_common_unit(paths: list[str]) -> OrgUnit | None:
    """The lowest unit above every one of ``paths`` (the proposal's owner)."""
    if not paths:
        return None
    # Character by character on purpose: materialized paths are fixed-width steps, not
    # slash-separated components; the prefix is then cut back to a whole step.
    common = os.path.commonprefix(paths)  # noqa: RUF071
    return OrgUnit.objects.filter(path=common[: len(common) - len(common) % STEP]).first()


@scope_exempt("drafts from opinions read through visible_to(user, 'opinions.change')")
@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("opinions.change"):
        raise PermissionDenied(_("您没有起草提案与建议的权限。"))
    ids = [int(value) for value in request.POST.getlist("opinion") or request.GET.getlist("opinion")
           if value.isdigit()]  # fmt: skip
    opinions = list(
        Opinion.objects.visible_to(user, "opinions.change").filter(pk__in=ids).select_related("org")
    )
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = _lowest_common_unit([item.org.path for item in opinions])
        try:
            if org is None:
                raise ValidationError({"opinions": [_("请至少选择一条相关妇情民意。")]})
            proposal = services_work.proposal_draft(
                actor=user, org=org, opinions=opinions, **form.cleaned_data
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            return redirect("opinions:proposal_detail", pk=proposal.pk)
    return render(request, "opinions/proposal_form.html", {"form": form, "opinions": opinions})


class ProposalDetailView(ScopedDetailView):
    model = Proposal
    template_name = "opinions/proposal_detail.html"

    def base_queryset(self) -> Any:
        return Proposal.objects.select_related("org", "carrier", "drafted_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposal = cast(Proposal, self.object)
        user: Any = self.request.user
        context["linked"] = list(proposal.opinions.select_related("org"))
        context["may_change"] = user.has_action("opinions.change", proposal.org)
        context["reply_form"] = ReplyForm(initial={"version": proposal.version})
        return context


class ProposalTransitionView(ProposalDetailView):
    action = "opinions.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        proposal = cast(Proposal, self.get_object())
        name = request.POST.get("transition", "")
        fields = {}
        if name == "record_reply":
            fields = {key: request.POST.get(key, "") for key in ("reply", "changes")}
        try:
            services_work.proposal_transition(
                actor=request.user,
                proposal=proposal,
                transition=name if name in {"submit", "record_reply", "withdraw"} else "",
                version=int(request.POST.get("version") or -1),
                comment=request.POST.get("comment", ""),
                fields=fields,
            )
        except (TransitionError, LookupError, ValueError) as problem:
            messages.error(
                request,
                "；".join(problem.messages)
                if isinstance(problem, ValidationError)
                else _("无法执行该操作。"),
            )
        else:
            messages.success(request, _("已办理。"))
        return redirect("opinions:proposal_detail", pk=proposal.pk)
