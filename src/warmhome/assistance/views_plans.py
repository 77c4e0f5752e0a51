"""Pages of assistance plans, follow-ups, coverage and household colour levels."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.assistance import selectors, services, services_levels
from warmhome.assistance.forms import FollowUpForm, LevelForm, PlanForm, ReasonForm
from warmhome.assistance.models import AssistancePlan, HouseholdLevel
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.people.models import Household
from warmhome.people.rendering import render_person


def apply_errors(form: Any, problem: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on the form)."""
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


class PlanListView(ScopedListView):
    model = AssistancePlan
    template_name = "assistance/plan_list.html"
    context_object_name = "plans"

    def base_queryset(self) -> Any:
        plans = AssistancePlan.objects.select_related(
            "person", "person__org", "category", "helper", "org"
        )
        if self.request.GET.get("closed") != "1":
            plans = plans.open()
        return plans.order_by("next_followup_on", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["rows"] = [
            (plan, render_person(plan.person, viewer=user, context="list"))
            for plan in context["plans"]
        ]
        context["today"] = timezone.localdate()
        context["may_change"] = user.has_action("assistance.change")
        context["closed"] = self.request.GET.get("closed") == "1"
        return context


def plan_context(request: HttpRequest, plan: AssistancePlan) -> dict[str, Any]:
    user: Any = request.user
    return {
        "plan": plan,
        "shown": render_person(plan.person, viewer=user, context="detail"),
        "followups": list(plan.followups.select_related("by")),
        "level": selectors.household_level(plan.household, user) if plan.household else None,
        "may_change": user.has_action("assistance.change", plan.org) and plan.is_open,
        "followup_form": FollowUpForm(initial={"happened_on": timezone.localdate()}),
        "close_form": ReasonForm(),
        "today": timezone.localdate(),
    }


class PlanDetailView(ScopedDetailView):
    model = AssistancePlan
    template_name = "assistance/plan_detail.html"

    def base_queryset(self) -> Any:
        return AssistancePlan.objects.select_related(
            "person", "person__org", "category", "helper", "household", "household__org", "org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(plan_context(self.request, cast(AssistancePlan, self.object)))
        return context


class PlanFollowUpView(PlanDetailView):
    """POST: record a follow-up."""

    action = "assistance.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = cast(AssistancePlan, self.get_object())
        form = FollowUpForm(request.POST)
        if form.is_valid():
            try:
                services.followup_record(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已记录回访。"))
                return redirect("assistance:plan_detail", pk=plan.pk)
        context = plan_context(request, plan)
        context["followup_form"] = form
        return render(request, self.template_name, context, status=400)


class PlanCloseView(PlanDetailView):
    """POST: close the plan with a reason."""

    action = "assistance.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan = cast(AssistancePlan, self.get_object())
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.plan_close(
                    actor=request.user, plan=plan, reason=form.cleaned_data["reason"]
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("帮扶计划已结案。"))
                return redirect("assistance:plan_detail", pk=plan.pk)
        context = plan_context(request, plan)
        context["close_form"] = form
        return render(request, self.template_name, context, status=400)


@scope_exempt("opens a plan for a person picked among those the user may change")
@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("assistance.change"):
        raise PermissionDenied(_("您没有建立帮扶计划的权限。"))
    form = PlanForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_open(actor=user, helper=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已建立帮扶计划。"))
            return redirect("assistance:plan_detail", pk=plan.pk)
    return render(request, "assistance/plan_form.html", {"form": form})


@scope_exempt("aggregates through plan_coverage, which reads only what visible_to lets the user")
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("assistance.view"):
        raise PermissionDenied(_("您没有查看帮扶救助记录的权限。"))
    return render(request, "assistance/coverage.html", {"rows": selectors.plan_coverage(user)})


class LevelListView(ScopedListView):
    model = HouseholdLevel
    template_name = "assistance/level_list.html"
    context_object_name = "levels"

    def base_queryset(self) -> Any:
        return (
            HouseholdLevel.objects.active()
            .select_related(
                "household", "household__org", "household__head", "household__head__org", "org"
            )
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        rows = []
        for row in context["levels"]:
            head = row.household.head
            shown = render_person(head, viewer=user, context="list") if head else None
            interval = selectors.level_interval_days(row.level)
            # setting a colour by hand needs the change action at the household's organisation
            may_set = user.has_action("assistance.change", row.household.org)
            rows.append((row, shown, interval, may_set))
        context["rows"] = rows
        return context


class HouseholdLevelSetView(ScopedDetailView):
    """Set a household's colour by hand, with the reason."""

    model = Household
    action = "assistance.change"
    template_name = "assistance/level_form.html"

    def base_queryset(self) -> Any:
        return Household.objects.select_related("org", "head", "head__org")

    def _render(self, household: Household, form: LevelForm, status: int = 200) -> HttpResponse:
        user: Any = self.request.user
        context = {
            "household": household,
            "form": form,
            "level": selectors.household_level(household, user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(cast(Household, self.get_object()), LevelForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = cast(Household, self.get_object())
        form = LevelForm(request.POST)
        if form.is_valid():
            try:
                services_levels.household_level_set(
                    actor=request.user, household=household, **form.cleaned_data
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已设定家庭风险等级。"))
                return redirect("assistance:level_list")
        return self._render(household, form, status=400)
