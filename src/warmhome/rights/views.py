"""Anti-domestic-violence cases: the team's pages, break-glass, anonymised counts."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.accounts.models import Post
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.people.selectors import person_search
from warmhome.rights import selectors, selectors_measures, services
from warmhome.rights.confidentiality import team_reason
from warmhome.rights.forms import (
    AddendumForm,
    AssignForm,
    BreakGlassForm,
    CaseOpenForm,
    IntakeForm,
    assessment_form,
)
from warmhome.rights.models import BreakGlassAccess, CaseStatus, DvCase, RiskBand
from warmhome.rights.scoring import current_definitions, definition


def apply_errors(form: Any, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


def _find_person(user: Any, query: str, field: str) -> Person:
    text = query.strip()
    if text.startswith("#") and text[1:].isdigit():
        found = list(
            Person.objects.visible_to(user, "people.view").current().filter(pk=int(text[1:]))
        )
    else:
        found = list(person_search(user, text, include_shielded=True)[:2])
    if not found:
        raise ValidationError({field: [_("没有找到此人：%(query)s") % {"query": text}]})
    if len(found) > 1:
        raise ValidationError({field: [_("找到不止一人，请改用身份证号或人员编号（#编号）。")]})
    return found[0]


def _intake_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.INTAKE_FIELDS}


class CaseListView(ScopedListView):
    model = DvCase
    action = "rights.view"
    template_name = "rights/case_list.html"

    def base_queryset(self) -> Any:
        cases = DvCase.objects.select_related("org", "victim", "victim__org")
        band = self.request.GET.get("band", "")
        return cases.filter(risk_band=band) if band in RiskBand.values else cases

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            (case, render_person(case.victim, viewer=user, context="list"))
            for case in context["object_list"]
        ]
        return context


@scope_exempt("opens a case in an organisation chosen from the user's own rights.change scope")
@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("rights.change"):
        raise PermissionDenied(_("您没有受理反家暴个案的权限。"))
    # A help request about violence links here with its requester ("转为反家暴个案").
    initial = {"victim_query": request.GET.get("victim_query", "")[:50]}
    form = CaseOpenForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            victim = _find_person(user, data["victim_query"], "victim_query")
            children = [
                _find_person(user, query, "children_query")
                for query in data["children_query"].split()
            ]
            case = services.dv_case_open(
                actor=user,
                org=data["org"],
                victim=victim,
                children=children,
                opened_on=data["opened_on"],
                **_intake_values(data),
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已登记个案，当事人已设为受保护人员。"))
            return redirect("rights:case_detail", pk=case.pk)
    return render(request, "rights/form.html", {"form": form, "title": _("受理反家暴个案")})


class CaseDetailView(ScopedDetailView):
    model = DvCase
    action = "rights.view"
    template_name = "rights/case_detail.html"

    def base_queryset(self) -> Any:
        return DvCase.objects.select_related("org", "victim", "victim__org")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        case = self.object
        page = selectors.dv_case_page(user, case)
        context.update(page)
        reason = team_reason(case)
        context["victim"] = render_person(
            case.victim, viewer=user, context="detail", team_reason=reason
        )
        context["children_display"] = [
            render_person(child, viewer=user, context="detail", team_reason=reason)
            for child in page["children"]
        ]
        context["instruments"] = current_definitions()
        context["may_change"] = user.has_action("rights.change", case.org)
        context["may_assign"] = user.has_action("rights.supervise", case.org)
        context.update(selectors_measures.case_measures_page(user, case))
        context["may_change_measures"] = (
            context["may_change"] and not page["break_glass"] and case.status != CaseStatus.CLOSED
        )
        return context


class CaseEditView(ScopedDetailView):
    """The intake, while it is being registered."""

    model = DvCase
    action = "rights.change"
    template_name = "rights/form.html"

    def _render(self, form: Any, case: DvCase) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("修改受理登记"), "case": case},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        initial = {name: getattr(case, name) for name in services.INTAKE_FIELDS}
        return self._render(IntakeForm(initial=initial), case)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        form = IntakeForm(request.POST)
        if form.is_valid():
            try:
                services.dv_case_update_intake(
                    actor=request.user, case=case, **_intake_values(form.cleaned_data)
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已保存。"))
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case)


class CaseSubmitView(ScopedDetailView):
    model = DvCase
    action = "rights.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        try:
            services.dv_case_submit(actor=request.user, case=case)
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("受理记录已提交并锁定。"))
        return redirect("rights:case_detail", pk=case.pk)


class AddendumCreateView(ScopedDetailView):
    model = DvCase
    action = "rights.change"
    template_name = "rights/form.html"

    def _render(self, form: Any, case: DvCase) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": _("补充说明"), "case": case}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(AddendumForm(), self.get_object())  # type: ignore[arg-type]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        form = AddendumForm(request.POST)
        if form.is_valid():
            try:
                services.addendum_add(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已添加补充说明。"))
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case)


class AssessView(ScopedDetailView):
    """A risk assessment with the instrument named in ``?instrument=`` (HITS by default)."""

    model = DvCase
    action = "rights.change"
    template_name = "rights/form.html"

    def _scoring(self) -> Any:
        return definition(self.request.GET.get("instrument") or "hits")

    def _render(self, form: Any, case: DvCase, scoring: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": scoring.label, "case": case},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        scoring = self._scoring()
        return self._render(assessment_form(scoring), case, scoring)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        scoring = self._scoring()
        form = assessment_form(scoring, request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            assessed_on = data.pop("assessed_on")
            try:
                assessment = services.risk_assessment_record(
                    actor=request.user,
                    case=case,
                    instrument=scoring.code,
                    answers=data,
                    assessed_on=assessed_on,
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(
                    request,
                    _("评估已保存：%(score)d 分，风险等级%(band)s。")
                    % {"score": assessment.score, "band": assessment.get_band_display()},
                )
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case, scoring)


class AssignView(ScopedDetailView):
    """The station head sets the case workers."""

    model = DvCase
    action = "rights.supervise"
    template_name = "rights/form.html"

    def _candidates(self, case: DvCase) -> Any:
        user_ids = [
            post.user_id
            for post in Post.objects.current()
            .filter(is_active=True, user__is_active=True)
            .select_related("role", "org")
            if "rights.change" in (post.role.actions or [])
            and case.org.path.startswith(post.org.path)
        ]
        return get_user_model().objects.filter(pk__in=user_ids).order_by("username")

    def _render(self, form: Any, case: DvCase) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": _("分派承办人员"), "case": case},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        form = AssignForm(
            candidates=self._candidates(case), initial={"workers": list(case.case_workers.all())}
        )
        return self._render(form, case)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        form = AssignForm(request.POST, candidates=self._candidates(case))
        if form.is_valid():
            try:
                services.dv_case_assign(
                    actor=request.user, case=case, workers=form.cleaned_data["workers"]
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已更新承办人员。"))
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case)


class BreakGlassView(ScopedDetailView):
    """Open a case from outside its team: a reason, an audit line, a notice to the head."""

    model = DvCase
    action = "rights.break_glass"
    template_name = "rights/break_glass.html"

    def _render(self, form: Any, case: DvCase) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "case": case})

    def _opens_already(self, case: DvCase) -> bool:
        return (
            DvCase.objects.visible_to(self.request.user, "rights.view").filter(pk=case.pk).exists()
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        if self._opens_already(case):
            return redirect("rights:case_detail", pk=case.pk)
        return self._render(BreakGlassForm(), case)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case: Any = self.get_object()
        if self._opens_already(case):
            return redirect("rights:case_detail", pk=case.pk)
        form = BreakGlassForm(request.POST)
        if form.is_valid():
            try:
                services.break_glass_open(
                    actor=request.user, case=case, reason=form.cleaned_data["reason"]
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case)


@scope_exempt("anonymised counts only, through DvCase.objects.visible_to(user, 'view_counts')")
@login_required
def case_counts(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("rights.view_counts"):
        raise PermissionDenied(_("您没有查看反家暴个案统计的权限。"))
    counts = selectors.dv_case_counts(user)
    measures = selectors_measures.measure_counts(user)
    shown = selectors_measures.suppressed_case_counts(counts, measures["minimum"])
    return render(request, "rights/counts.html", {**counts, **measures, **shown})


class BreakGlassReportView(ScopedListView):
    model = BreakGlassAccess
    action = "rights.supervise"
    template_name = "rights/break_glass_report.html"

    def base_queryset(self) -> Any:
        return BreakGlassAccess.objects.select_related("case", "case__org", "user")
