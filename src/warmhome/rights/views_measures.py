"""Pages that record the measures taken in a case. Each is a form on one case, reached by the
case's pk through ``DvCase.objects.visible_to(user, "rights.change")``: outside the team the
answer is 404 and an audit line (``core.scoping.get_for_user``)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from warmhome.core.views_base import ScopedDetailView
from warmhome.rights import forms_measures as f
from warmhome.rights import services_measures as sm
from warmhome.rights import services_orders as so
from warmhome.rights.models import (
    DvCase,
    ProtectionOrder,
    Referral,
    SafetyPlan,
    ShelterStay,
    WarningLetter,
)
from warmhome.rights.views import apply_errors


class CaseFormView(ScopedDetailView):
    """A form about one case, or (``model`` a case part) about one record of a case."""

    model: Any = DvCase
    action = "rights.change"
    template_name = "rights/form.html"
    form_class: type[forms.Form]
    title: Any = ""
    done: Any = gettext_lazy("已保存。")

    def base_queryset(self) -> Any:
        objects = self.model._default_manager.all()
        return objects if self.model is DvCase else objects.select_related("case")

    def _objects(self) -> tuple[DvCase, Any]:
        found: Any = self.get_object()
        if isinstance(found, DvCase):
            return found, None
        return found.case, found

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def initial(self, case: DvCase, part: Any) -> dict[str, Any]:
        return {}

    def _render(self, form: forms.Form, case: DvCase) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": self.title, "case": case}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case, part = self._objects()
        return self._render(self.form_class(initial=self.initial(case, part)), case)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        case, part = self._objects()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.perform(case, part, dict(form.cleaned_data))
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, str(self.done))
                return redirect("rights:case_detail", pk=case.pk)
        return self._render(form, case)


class SafetyPlanView(CaseFormView):
    form_class = f.SafetyPlanForm
    title = gettext_lazy("安全计划")
    done = gettext_lazy("安全计划已保存。")

    def initial(self, case: DvCase, part: Any) -> dict[str, Any]:
        plan = SafetyPlan.objects.filter(case=case).first()
        if plan is None:
            return {}
        names = ["safe_contacts", "safe_place", "documents_ready", "escape_route", "code_word"]
        return {name: getattr(plan, name) for name in [*names, "other_items"]}

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.safety_plan_save(actor=self.request.user, case=case, **data)


class WarningLetterView(CaseFormView):
    form_class = f.WarningLetterForm
    title = gettext_lazy("登记告诫书")
    done = gettext_lazy("告诫书已登记。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.warning_letter_record(actor=self.request.user, case=case, **data)


class WarningVisitView(CaseFormView):
    form_class = f.WarningVisitForm
    model = WarningLetter
    title = gettext_lazy("告诫书回访")
    done = gettext_lazy("回访已记录。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.warning_visit_record(actor=self.request.user, letter=part, **data)


class OrderApplyView(CaseFormView):
    form_class = f.OrderApplyForm
    title = gettext_lazy("申请人身安全保护令")
    done = gettext_lazy("保护令申请已登记。")

    def initial(self, case: DvCase, part: Any) -> dict[str, Any]:
        return {"applicant_kind": "victim", "measures_requested": ["forbid_violence"]}

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return so.protection_order_apply(actor=self.request.user, case=case, **data)


#: step → (form, service, title)
ORDER_STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any], Any]] = {
    "accept": (f.OrderAcceptForm, so.protection_order_accept, gettext_lazy("登记法院受理")),
    "issue": (f.OrderIssueForm, so.protection_order_issue, gettext_lazy("登记签发保护令")),
    "refuse": (f.OrderRefuseForm, so.protection_order_refuse, gettext_lazy("登记驳回")),
    "reconsider": (
        f.OrderReconsiderForm,
        so.protection_order_reconsider,
        gettext_lazy("申请复议"),
    ),
    "withdraw": (f.OrderWithdrawForm, so.protection_order_withdraw, gettext_lazy("撤回申请")),
    "change": (
        f.OrderChangeForm,
        so.protection_order_request_change,
        gettext_lazy("申请延长、变更或撤销"),
    ),
    "decide": (
        f.OrderDecideForm,
        so.protection_order_decide_change,
        gettext_lazy("登记变更决定"),
    ),
    "violation": (
        f.OrderViolationForm,
        so.protection_order_report_violation,
        gettext_lazy("登记违反保护令"),
    ),
}


class OrderStepView(CaseFormView):
    """One step of a protection order's lifecycle, named by ``step`` in the URL."""

    model = ProtectionOrder
    step = ""

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form_class, self.service, self.title = ORDER_STEPS[self.step]

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return self.service(actor=self.request.user, order=part, **data)


class ShelterAdmitView(CaseFormView):
    form_class = f.ShelterAdmitForm
    title = gettext_lazy("临时庇护")
    done = gettext_lazy("临时庇护已登记。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.shelter_admit(actor=self.request.user, case=case, **data)


class ShelterExtendView(CaseFormView):
    form_class = f.ShelterExtendForm
    model = ShelterStay
    title = gettext_lazy("延长庇护")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.shelter_extend(actor=self.request.user, stay=part, **data)


class ShelterLeaveView(CaseFormView):
    form_class = f.ShelterLeaveForm
    model = ShelterStay
    title = gettext_lazy("离开庇护场所")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.shelter_leave(actor=self.request.user, stay=part, **data)


class ReferralView(CaseFormView):
    form_class = f.ReferralForm
    title = gettext_lazy("转介")
    done = gettext_lazy("转介已登记。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.referral_record(actor=self.request.user, case=case, **data)


class ReferralOutcomeView(CaseFormView):
    form_class = f.ReferralOutcomeForm
    model = Referral
    title = gettext_lazy("转介结果")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.referral_outcome_record(actor=self.request.user, referral=part, **data)


class MandatoryReportView(CaseFormView):
    form_class = f.MandatoryReportForm
    title = gettext_lazy("强制报告")
    done = gettext_lazy("强制报告已登记。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.mandatory_report_record(actor=self.request.user, case=case, **data)


class FollowUpView(CaseFormView):
    form_class = f.FollowUpForm
    title = gettext_lazy("个案回访")
    done = gettext_lazy("回访已记录。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.case_followup_record(actor=self.request.user, case=case, **data)


class CloseView(CaseFormView):
    form_class = f.CloseForm
    title = gettext_lazy("结案")
    done = gettext_lazy("个案已结案。")

    def perform(self, case: DvCase, part: Any, data: dict[str, Any]) -> Any:
        return sm.dv_case_close(actor=self.request.user, case=case, **data)


def measure_urls() -> list[Any]:
    """The URL patterns of this module, included by ``rights.urls``."""
    from django.urls import path

    case = "cases/<int:pk>/"
    steps = [
        path(
            f"orders/<int:pk>/{step}/",
            OrderStepView.as_view(step=step),
            name=f"order_{step}",
        )
        for step in ORDER_STEPS
    ]
    return [
        path(f"{case}safety-plan/", SafetyPlanView.as_view(), name="safety_plan_edit"),
        path(f"{case}warning-letters/new/", WarningLetterView.as_view(), name="warning_letter_add"),
        path(
            "warning-letters/<int:pk>/visits/new/",
            WarningVisitView.as_view(),
            name="warning_visit_add",
        ),
        path(f"{case}orders/new/", OrderApplyView.as_view(), name="order_apply"),
        *steps,
        path(f"{case}shelter/new/", ShelterAdmitView.as_view(), name="shelter_add"),
        path("shelter/<int:pk>/extend/", ShelterExtendView.as_view(), name="shelter_extend"),
        path("shelter/<int:pk>/leave/", ShelterLeaveView.as_view(), name="shelter_leave"),
        path(f"{case}referrals/new/", ReferralView.as_view(), name="referral_add"),
        path("referrals/<int:pk>/outcome/", ReferralOutcomeView.as_view(), name="referral_outcome"),
        path(
            f"{case}mandatory-report/", MandatoryReportView.as_view(), name="mandatory_report_add"
        ),
        path(f"{case}followups/new/", FollowUpView.as_view(), name="followup_add"),
        path(f"{case}close/", CloseView.as_view(), name="case_close"),
    ]
