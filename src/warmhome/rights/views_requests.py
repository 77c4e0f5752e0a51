"""Help requests and legal consultations: list, intake, the steps, statistics, public form."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from warmhome.core import ratelimit
from warmhome.core.audit.services import export_log, sensitive_read_log
from warmhome.core.imports.workbook import write_xlsx
from warmhome.core.masking import mask_mobile, mask_name
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.core.workflows.selectors import transitions_available
from warmhome.people.rendering import render_person
from warmhome.rights import selectors_requests as selectors
from warmhome.rights import services_consultations
from warmhome.rights import services_requests as services
from warmhome.rights.forms_requests import (
    ConsultationForm,
    IntakeForm,
    PublicRequestForm,
    StatisticsForm,
    StepForm,
)
from warmhome.rights.models import Channel, HelpRequest, LegalConsultation
from warmhome.rights.views import _find_person, apply_errors
from warmhome.rights.views_reviews import review_context
from warmhome.rights.workflow_requests import DUE_STATES, HANDLE
from warmhome.rules.selectors import policy_value

VIEW = "rights.request_view"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requester_display(request: HelpRequest, viewer: Any, context: str = "list") -> dict[str, str]:
    """Who asked: a registered person through ``render_person``; otherwise the typed name,
    masked in lists."""
    if request.person_id is not None:
        shown = render_person(request.person, viewer=viewer, context=context)  # type: ignore[arg-type]
        return {"name": shown.name, "phone": shown.masked_phone, "address": shown.address}
    if context == "detail":
        return {
            "name": request.requester_name,
            "phone": request.requester_phone,
            "address": request.requester_address,
        }
    return {"name": mask_name(request.requester_name), "phone": mask_mobile(""), "address": ""}


class HelpRequestListView(ScopedListView):
    model = HelpRequest
    action = VIEW
    template_name = "rights/helprequest_list.html"

    def base_queryset(self) -> Any:
        requests = HelpRequest.objects.select_related(
            "org", "category", "category__parent", "person", "person__org"
        )
        state = self.request.GET.get("state", "")
        if state:
            requests = requests.filter(state=state)
        if self.request.GET.get("overdue"):
            requests = requests.filter(state__in=DUE_STATES, due_at__lt=timezone.localdate())
        return requests

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        context["rows"] = [
            (
                item,
                requester_display(item, user),
                item.due_at is not None and item.state in DUE_STATES and item.due_at < today,
            )
            for item in context["object_list"]
        ]
        context["may_handle"] = user.has_action(HANDLE)  # type: ignore[union-attr]
        return context


@scope_exempt("registers a request routed by the requester's community; needs request_handle")
@login_required
@require_http_methods(["GET", "POST"])
def helprequest_intake(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action(HANDLE):
        raise PermissionDenied(_("您没有登记求助信访事项的权限。"))
    form = IntakeForm(request.POST or None, initial={"channel": Channel.HOTLINE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = (
                _find_person(user, data["person_query"], "person_query")
                if data["person_query"].strip()
                else None
            )
            made = services.help_request_receive(
                actor=user,
                channel=data["channel"],
                category=data["category"],
                content=data["content"],
                person=person,
                community=data["community"],
                requester_name=data["requester_name"],
                requester_phone=data["requester_phone"],
                requester_address=data["requester_address"],
                referral_source=data["referral_source"],
                referral_ref=data["referral_ref"],
                received_on=data["received_on"],
                intake_key=data["intake_key"],
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(
                request,
                _("已登记 %(number)s，分派至 %(org)s。")
                % {"number": made.number, "org": made.org.name},
            )
            if get_for_user_or_none(user, made.pk) is not None:
                return redirect("rights:helprequest_detail", pk=made.pk)
            return redirect("rights:helprequest_list")
    return render(
        request, "rights/helprequest_form.html", {"form": form, "title": _("登记求助信访事项")}
    )


#: the steps shown on the page, with the inputs each one asks for
STEP_INPUTS: dict[str, tuple[str, ...]] = {
    "accept": ("comment",),
    "not_accept": ("comment",),
    "transfer": ("to_org", "comment"),
    "start": ("comment",),
    "extend": ("days", "comment"),
    "reply": ("reply_text", "reply_channel", "outcome", "replied_on"),
    "close": ("satisfaction", "followup_note"),
    "reopen": ("satisfaction", "followup_note"),
}


class HelpRequestDetailView(ScopedDetailView):
    model = HelpRequest
    action = VIEW
    template_name = "rights/helprequest_detail.html"

    def base_queryset(self) -> Any:
        return HelpRequest.objects.select_related(
            "org", "community", "category", "category__parent", "person", "person__org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        item: HelpRequest = self.object
        if item.person_id is None and item.requester_phone:
            sensitive_read_log(
                actor=user, instance=item, fields=["requester_name", "requester_phone"]
            )
        context.update(selectors.request_page(user, item))
        context["requester"] = requester_display(item, user, "detail")
        form = kwargs.get("step_form") or StepForm(initial={"version": item.version})
        context["failed_step"] = kwargs.get("failed_step", "")
        context["steps"] = [
            {"name": step.name, "label": step.label, "inputs": STEP_INPUTS.get(step.name, ())}
            for step in transitions_available(user, item)
            if step.name in STEP_INPUTS  # "redo" comes with a review's decision only
        ]
        context["step_form"] = form
        context["consultation_rows"] = [
            (consultation, render_person(consultation.lawyer.person, viewer=user, context="list"))
            for consultation in context["consultations"]
        ]
        context.update(review_context(user, item))
        context["may_record_consultation"] = user.has_action(HANDLE)
        context["may_open_dv_case"] = (
            item.category.is_dv and item.person_id is not None and user.has_action("rights.change")
        )
        context["overdue"] = (
            item.due_at is not None
            and item.state in DUE_STATES
            and item.due_at < timezone.localdate()
        )
        return context


class HelpRequestStepView(HelpRequestDetailView):
    """POST one step of the workflow; on refusal the page shows the reason at that step."""

    action = HANDLE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item: Any = self.get_object()
        self.object = item
        name = request.POST.get("transition", "")
        form = StepForm(request.POST)
        if name not in STEP_INPUTS:
            form.add_error(None, _("未知的办理步骤。"))
        elif form.is_valid():
            try:
                take_step(request.user, item, name, form.cleaned_data)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已办理：%(step)s。") % {"step": _step_label(name)})
                if get_for_user_or_none(request.user, item.pk) is None:
                    return redirect("rights:helprequest_list")
                return redirect("rights:helprequest_detail", pk=item.pk)
        item.refresh_from_db()
        context = self.get_context_data(object=item, step_form=form, failed_step=name)
        self.template_name = HelpRequestDetailView.template_name
        return self.render_to_response(context, status=400)


def _step_label(name: str) -> str:
    from warmhome.core.workflows import get_workflow

    return str(get_workflow("help_request").transition(name).label)


def get_for_user_or_none(user: Any, pk: int) -> HelpRequest | None:
    """After a transfer out, the request may no longer be visible to the one who sent it."""
    return HelpRequest.objects.visible_to(user, VIEW).filter(pk=pk).first()


def take_step(user: Any, item: HelpRequest, name: str, data: dict[str, Any]) -> HelpRequest:
    """Call the one service of step ``name`` (pages and API alike)."""
    version = data.get("version")
    comment = (data.get("comment") or "").strip()
    if name == "accept":
        return services.help_request_accept(
            actor=user, request=item, comment=comment, expected_version=version
        )
    if name == "not_accept":
        return services.help_request_not_accept(
            actor=user, request=item, reason=comment, expected_version=version
        )
    if name == "transfer":
        to_org = data.get("to_org")
        if to_org is None:
            raise ValidationError({"to_org": [_("请选择转入单位。")]})
        return services.help_request_transfer(
            actor=user, request=item, to_org=to_org, reason=comment, expected_version=version
        )
    if name == "start":
        return services.help_request_start(
            actor=user, request=item, comment=comment, expected_version=version
        )
    if name == "extend":
        return services.help_request_extend(
            actor=user,
            request=item,
            days=int(data.get("days") or 0),
            reason=comment,
            expected_version=version,
        )
    if name == "reply":
        return services.help_request_reply(
            actor=user,
            request=item,
            text=data.get("reply_text") or "",
            channel=data.get("reply_channel") or "",
            outcome=data.get("outcome") or "",
            replied_on=data.get("replied_on"),
            expected_version=version,
        )
    return services.help_request_follow_up(
        actor=user,
        request=item,
        satisfaction=data.get("satisfaction") or "",
        note=data.get("followup_note") or "",
        reopen=name == "reopen",
        expected_version=version,
    )


# --- legal consultations -------------------------------------------------------------------


class ConsultationListView(ScopedListView):
    model = LegalConsultation
    action = VIEW
    template_name = "rights/consultation_list.html"

    def base_queryset(self) -> Any:
        return LegalConsultation.objects.select_related(
            "org", "request", "person", "person__org", "lawyer__person", "lawyer__person__org"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["rows"] = [
            (
                item,
                render_person(item.person, viewer=user, context="list") if item.person else None,
                render_person(item.lawyer.person, viewer=user, context="list"),
            )
            for item in context["object_list"]
        ]
        context["may_record"] = user.has_action(HANDLE)  # type: ignore[union-attr]
        return context


@scope_exempt("records a consultation on a request or person the user reaches via visible_to")
@login_required
@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action(HANDLE):
        raise PermissionDenied(_("您没有记录法律咨询的权限。"))
    lawyers = selectors.legal_lawyers()
    labels = {
        lawyer.pk: render_person(lawyer.person, viewer=user, context="list").name
        for lawyer in lawyers
    }
    initial = {"request_number": request.GET.get("request", "")}
    form = ConsultationForm(request.POST or None, lawyers=lawyers, labels=labels, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            linked = None
            if data["request_number"].strip():
                linked = (
                    HelpRequest.objects.visible_to(user, HANDLE)
                    .filter(number=data["request_number"].strip())
                    .first()
                )
                if linked is None:
                    raise ValidationError({"request_number": [_("没有找到该求助事项。")]})
            person = (
                _find_person(user, data["person_query"], "person_query")
                if data["person_query"].strip()
                else None
            )
            services_consultations.consultation_record(
                actor=user,
                lawyer=data["lawyer"],
                question=data["question"],
                advice=data["advice"],
                request=linked,
                person=person,
                consulted_on=data["consulted_on"],
                follow_up_needed=data["follow_up_needed"],
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已记录法律咨询。"))
            return redirect("rights:consultation_list")
    return render(
        request, "rights/consultation_form.html", {"form": form, "title": _("记录法律咨询")}
    )


# --- statistics ----------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[StatisticsForm, datetime.date, datetime.date]:
    today = timezone.localdate()
    form = StatisticsForm(request.GET or None)
    start, end = today.replace(month=1, day=1), today
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    return form, start, end


def _require_export(user: Any) -> None:
    if not user.has_action(selectors.EXPORT):
        raise PermissionDenied(_("您没有查看求助信访统计的权限。"))


@scope_exempt("counts only, through request_statistics, which reads visible_to(request_export)")
@login_required
def helprequest_stats(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    form, start, end = _period(request)
    stats = selectors.request_statistics(user, start=start, end=end)
    return render(request, "rights/helprequest_stats.html", {"form": form, "stats": stats})


@scope_exempt("counts only, through request_statistics, which reads visible_to(request_export)")
@login_required
def helprequest_stats_xlsx(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    _require_export(user)
    _form, start, end = _period(request)
    stats = selectors.request_statistics(user, start=start, end=end)
    rows = selectors.statistics_rows(stats)
    payload = write_xlsx(
        [_("统计维度"), _("项目"), _("件数")],
        rows,
        title=_("求助信访统计"),
        widths=[14, 30, 10],
    )
    export_log(
        actor=user,
        what="rights.helprequest_stats_xlsx",
        row_count=len(rows),
        detail={"start": start.isoformat(), "end": end.isoformat()},
    )
    response = HttpResponse(payload, content_type=XLSX_CONTENT_TYPE)
    filename = _("求助信访统计%(start)s至%(end)s.xlsx") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- the public form -----------------------------------------------------------------------

TOO_MANY = "请求过于频繁，请稍后再试。"


def _public_per_minute() -> int:
    # the public forms' shared limit (activities.public_requests_per_minute)
    return int(policy_value("activities.public_requests_per_minute"))


@scope_exempt("public page: a resident submits her own request; shows nothing of others")
@never_cache
@require_http_methods(["GET", "POST"])
def helprequest_public(request: HttpRequest) -> HttpResponse:
    form = PublicRequestForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        if not ratelimit.allow(request, "rights.help_request", _public_per_minute()):
            form.add_error(None, _(TOO_MANY))
        else:
            data = form.cleaned_data
            try:
                made = services.help_request_receive(
                    actor=None,
                    channel=Channel.ONLINE,
                    category=data["category"],
                    content=data["content"],
                    community=data["community"],
                    requester_name=data["requester_name"],
                    requester_phone=data["requester_phone"],
                    requester_address=data["requester_address"],
                    intake_key=data["intake_key"],
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                context.update(done=True, number=made.number, due=made.due_at)
    return render(request, "rights/helprequest_public.html", context)
