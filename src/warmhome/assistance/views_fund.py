"""Pages of relief applications, their decisions and payments, and the fund's budgets."""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from warmhome.assistance import selectors, services_evidence, services_fund
from warmhome.assistance.forms import (
    ApplicationForm,
    BudgetGrantForm,
    BudgetMoveForm,
    DecisionForm,
    EvidenceForm,
    PaymentForm,
)
from warmhome.assistance.models import Evidence, FundBudget, PaymentMethod, ReliefApplication
from warmhome.assistance.views_plans import apply_errors
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.core.workflows import TransitionError
from warmhome.core.workflows.selectors import timeline, transitions_available
from warmhome.people.rendering import render_person

#: which inputs each transition's form shows
_AMOUNT = {"street_approve", "district_approve"}
_MEETING = {"district_approve", "district_reject", "ratify", "ratify_refuse"}
_PAYMENT = {"disburse", "urgent_pay"}


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    amount: bool
    meeting: bool
    payment: bool
    urgent: bool


class ApplicationListView(ScopedListView):
    model = ReliefApplication
    template_name = "assistance/application_list.html"
    context_object_name = "applications"

    def base_queryset(self) -> Any:
        applications = ReliefApplication.objects.select_related("person", "person__org", "org")
        state = self.request.GET.get("state", "")
        if state:
            applications = applications.filter(state=state)
        return applications.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["rows"] = [
            (application, render_person(application.person, viewer=user, context="list"))
            for application in context["applications"]
        ]
        context["may_apply"] = user.has_action("assistance.apply")
        context["state"] = self.request.GET.get("state", "")
        return context


def application_context(request: HttpRequest, application: ReliefApplication) -> dict[str, Any]:
    user: Any = request.user
    steps = [
        Step(
            name=transition.name,
            label=str(transition.label),
            amount=transition.name in _AMOUNT,
            meeting=transition.name in _MEETING,
            payment=transition.name in _PAYMENT,
            urgent=transition.name == "urgent_pay",
        )
        for transition in transitions_available(user, application)
        if transition.name != "urgent_pay" or application.is_urgent
    ]
    return {
        "application": application,
        "shown": render_person(application.person, viewer=user, context="detail"),
        "timeline": [(entry, _field_lines(entry.fields)) for entry in timeline(application)],
        "ledger": list(application.ledger_entries.select_related("budget", "actor")),
        "evidence": list(application.evidence.all()),
        "received": selectors.received_this_year(application),
        "disbursement": getattr(application, "disbursement", None),
        "steps": steps,
        "decision_form": DecisionForm(
            initial={
                "version": application.version,
                "amount_approved": application.amount_requested,
            }
        ),
        "payment_form": PaymentForm(
            initial={"version": application.version, "amount": application.amount_requested}
        ),
        "evidence_form": EvidenceForm(),
        "may_attach": user.has_action("assistance.apply", application.org)
        and application.state not in services_evidence.CLOSED_STATES,
    }


_FIELD_LABELS = {
    "amount_approved": gettext_lazy("批准金额"),
    "meeting_ref": gettext_lazy("会议纪要编号"),
    "attendees": gettext_lazy("参会人员"),
    "decision": gettext_lazy("决定意见"),
    "method": gettext_lazy("发放方式"),
    "voucher_number": gettext_lazy("凭证号"),
}


def _field_lines(fields: dict[str, Any]) -> list[str]:
    """The values filled in at a step, each with its Chinese label (method codes named)."""
    methods = dict(PaymentMethod.choices)
    lines = []
    for key, value in fields.items():
        shown = methods.get(value, value) if key == "method" else value
        lines.append(f"{_FIELD_LABELS.get(key, key)}{_('：')}{shown}")
    return lines


class ApplicationDetailView(ScopedDetailView):
    model = ReliefApplication
    template_name = "assistance/application_detail.html"

    def base_queryset(self) -> Any:
        return ReliefApplication.objects.select_related(
            "person", "person__org", "household", "fund", "budget", "category", "proposer", "org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(application_context(self.request, cast(ReliefApplication, self.object)))
        return context


def _take(user: Any, application: ReliefApplication, name: str, data: dict[str, Any]) -> None:
    """Call the one service that takes transition ``name``."""
    version = data.get("version")
    comment = data.get("comment") or ""
    meeting = {key: data.get(key) or "" for key in ("meeting_ref", "attendees", "decision")}
    if name in _AMOUNT:
        services_fund.application_approve(
            actor=user,
            application=application,
            amount_approved=data.get("amount_approved") or application.amount_requested,
            comment=comment,
            expected_version=version,
            **(meeting if name == "district_approve" else {}),
        )
    elif name in _PAYMENT:
        payment: dict[str, Any] = {
            key: data.get(key)
            for key in ("method", "voucher_number", "recipient_confirmed", "confirmation_note")
        }
        payment["paid_on"] = data.get("paid_on")
        if name == "disburse":
            services_fund.application_disburse(
                actor=user, application=application, expected_version=version, **payment
            )
        else:
            services_fund.application_urgent_pay(
                actor=user,
                application=application,
                amount=data.get("amount") or application.amount_requested,
                comment=comment,
                expected_version=version,
                **payment,
            )
    elif name == "cancel":
        services_fund.application_cancel(
            actor=user, application=application, reason=comment, expected_version=version
        )
    elif name == "return_funds":
        services_fund.application_return(
            actor=user, application=application, reason=comment, expected_version=version
        )
    else:
        services_fund.application_transition(
            actor=user,
            application=application,
            transition=name,
            comment=comment,
            fields=meeting if name in _MEETING else None,
            expected_version=version,
        )


class ApplicationTransitionView(ApplicationDetailView):
    """POST: take one step of the review path (the engine checks who may)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = cast(ReliefApplication, self.get_object())
        name = request.POST.get("transition", "")
        form: Any = (PaymentForm if name in _PAYMENT else DecisionForm)(request.POST)
        context = application_context(request, application)
        if name not in {step.name for step in context["steps"]}:
            form.add_error(None, _("当前不能执行该操作，请刷新页面。"))
        elif form.is_valid():
            try:
                _take(request.user, application, name, form.cleaned_data)
            except (ValidationError, TransitionError) as problem:
                apply_errors(form, problem)
            else:
                messages.success(
                    request, _("已办理：%(step)s") % {"step": _step_label(context, name)}
                )
                return redirect("assistance:application_detail", pk=application.pk)
        context["decision_form" if name not in _PAYMENT else "payment_form"] = form
        context["failed_step"] = name
        return render(request, self.template_name, context, status=400)


def _step_label(context: dict[str, Any], name: str) -> str:
    return next((step.label for step in context["steps"] if step.name == name), name)


class EvidenceUploadView(ApplicationDetailView):
    """POST: attach an evidence file to the application."""

    action = "assistance.view"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        application = cast(ReliefApplication, self.get_object())
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services_evidence.evidence_attach(
                    actor=request.user,
                    application=application,
                    file_name=upload.name,
                    data=upload.read(),
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已上传证明材料。"))
                return redirect("assistance:application_detail", pk=application.pk)
        context = application_context(request, application)
        context["evidence_form"] = form
        return render(request, self.template_name, context, status=400)


class EvidenceDownloadView(ScopedDetailView):
    model = Evidence

    def base_queryset(self) -> Any:
        return Evidence.objects.select_related("application")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        evidence = cast(Evidence, self.get_object())
        # Evidence files are small (policy relief.evidence_max_mb): read whole.
        with default_storage.open(evidence.file_path, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=evidence.content_type)
        response["Content-Disposition"] = (
            content_disposition_header(False, evidence.file_name) or "attachment"
        )
        return response


@scope_exempt("files an application for a person picked among those the user may apply for")
@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("assistance.apply"):
        raise PermissionDenied(_("您没有提出救助申请的权限。"))
    form = ApplicationForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            application = _file(user, form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已提出救助申请。"))
            return redirect("assistance:application_detail", pk=application.pk)
    return render(request, "assistance/application_form.html", {"form": form})


def _file(user: Any, data: dict[str, Any]) -> ReliefApplication:
    from django.db import transaction

    person = data["person"]
    membership = person.memberships.select_related("household").first()
    with transaction.atomic():
        application = services_fund.application_file(
            actor=user,
            fund=data["fund"],
            person=person,
            household=membership.household if membership else None,
            hardship=data["hardship"],
            category=data["category"],
            description=data["description"],
            amount_requested=data["amount_requested"],
            is_urgent=data["is_urgent"],
        )
        upload = data.get("evidence")
        if upload:
            services_evidence.evidence_attach(
                actor=user, application=application, file_name=upload.name, data=upload.read()
            )
    return application


# --- budgets -------------------------------------------------------------------------------------


class BudgetListView(ScopedListView):
    model = FundBudget
    template_name = "assistance/budget_list.html"
    context_object_name = "budgets"

    def base_queryset(self) -> Any:
        return FundBudget.objects.select_related("fund", "org").order_by("-year", "org__path", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_manage"] = self.request.user.has_action("assistance.manage_fund")  # type: ignore[union-attr]
        return context


class BudgetDetailView(ScopedDetailView):
    model = FundBudget
    template_name = "assistance/budget_detail.html"

    def base_queryset(self) -> Any:
        return FundBudget.objects.select_related("fund", "fund__org", "org")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(budget_context(self.request, cast(FundBudget, self.object)))
        return context


def budget_context(request: HttpRequest, budget: FundBudget) -> dict[str, Any]:
    user: Any = request.user
    return {
        "budget": budget,
        "entries": list(
            budget.entries.select_related("application", "actor", "org").order_by("pk")
        ),
        "reconciliation": selectors.budget_reconciliation(budget),
        "may_manage": user.has_action("assistance.manage_fund", budget.fund.org),
        "move_form": BudgetMoveForm(user=user),
    }


class BudgetMoveView(BudgetDetailView):
    """POST: a top-up, or a transfer to another organisation's share, by a recorded decision."""

    action = "assistance.view"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        budget = cast(FundBudget, self.get_object())
        form = BudgetMoveForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["target_org"] is None:
                    services_fund.budget_top_up(
                        actor=request.user,
                        budget=budget,
                        amount=data["amount"],
                        decision_ref=data["decision_ref"],
                        note=data["note"],
                    )
                else:
                    services_fund.budget_transfer(
                        actor=request.user,
                        source=budget,
                        target_org=data["target_org"],
                        amount=data["amount"],
                        decision_ref=data["decision_ref"],
                        note=data["note"],
                    )
            except (ValidationError, PermissionDenied) as problem:
                if isinstance(problem, PermissionDenied):
                    form.add_error(None, str(problem))
                else:
                    apply_errors(form, problem)
            else:
                messages.success(request, _("已记入台账。"))
                return redirect("assistance:budget_detail", pk=budget.pk)
        context = budget_context(request, budget)
        context["move_form"] = form
        return render(request, self.template_name, context, status=400)


@scope_exempt("grants a budget of a fund chosen among those the user manages")
@login_required
@require_http_methods(["GET", "POST"])
def budget_grant(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("assistance.manage_fund"):
        raise PermissionDenied(_("您没有管理救助资金预算的权限。"))
    form = BudgetGrantForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services_fund.budget_grant(actor=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已下达预算。"))
            return redirect("assistance:budget_detail", pk=budget.pk)
    return render(request, "assistance/budget_form.html", {"form": form})
