"""Pages of opinions: intake (a representative's phone or a cadre's desk), the list and what
staff do with one opinion (correct its topic, hand it on)."""

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.core.workflows import TransitionError
from warmhome.opinions import services, services_work
from warmhome.opinions.forms import FollowUpForm, OpinionForm, OutcomeForm, RelabelForm
from warmhome.opinions.models import Opinion, OpinionAttachment, OpinionFollowUp
from warmhome.opinions.topics import Topic
from warmhome.orgs.models import OrgUnit


def apply_errors(form: Any, problem: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on the form)."""
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


def month_bounds(text: str) -> tuple[datetime.datetime, datetime.datetime] | None:
    """``2026-03`` → the month's first instant and the next month's; None if unreadable."""
    from warmhome.opinions.selectors import Period

    try:
        year, month = (int(part) for part in text.split("-", 1))
        return Period.month(year, month).bounds()
    except (ValueError, TypeError):
        return None


class OpinionListView(ScopedListView):
    """Every opinion the user may see; filters by topic, month, organisation, to be checked."""

    model = Opinion
    template_name = "opinions/opinion_list.html"
    context_object_name = "opinions"

    def base_queryset(self) -> Any:
        opinions = Opinion.objects.select_related("org", "submitter")
        query = self.request.GET
        if query.get("topic") in Topic.values:
            opinions = opinions.filter(topic=query["topic"])
        if query.get("check") == "1":
            opinions = opinions.filter(needs_review=True)
        bounds = month_bounds(query.get("month", ""))
        if bounds is not None:
            opinions = opinions.filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[1])
        unit = query.get("unit", "")
        if unit.isdigit():
            path = OrgUnit.objects.filter(pk=int(unit)).values_list("path", flat=True).first()
            if path is not None:
                opinions = opinions.filter(org__path__startswith=path)
        return opinions.order_by("-occurred_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["topics"] = Topic.choices
        context["filters"] = self.request.GET
        context["may_submit"] = user.has_action("opinions.submit") or user.has_action(
            "opinions.change"
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


@scope_exempt("records an opinion in an organisation the form offers only within the user's posts")
@login_required
@require_http_methods(["GET", "POST"])
def opinion_submit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (user.has_action("opinions.submit") or user.has_action("opinions.change")):
        raise PermissionDenied(_("您没有反映妇情民意的权限。"))
    form = OpinionForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("attachment")
        attachments = [(upload.name, upload.read())] if upload else []
        try:
            opinion = services.opinion_submit(
                actor=user,
                channel=data["channel"],
                text=data["text"],
                org=data["org"],
                anonymous=data["anonymous"],
                source_ref=f"form:{data['token']}" if data.get("token") else None,
                attachments=attachments,
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已收到您反映的妇情民意，谢谢！"))
            if user.has_action("opinions.view", opinion.org):
                return redirect("opinions:opinion_detail", pk=opinion.pk)
            return redirect("opinions:my_opinions")
    status = 400 if request.method == "POST" else 200
    return render(request, "opinions/opinion_form.html", {"form": form}, status=status)


@scope_exempt("lists only the opinions the signed-in user submitted herself")
@login_required
def my_opinions(request: HttpRequest) -> HttpResponse:
    opinions = (
        Opinion.objects.filter(submitter=request.user)
        .select_related("org")
        .order_by("-occurred_at", "-pk")[:200]
    )
    return render(request, "opinions/my_opinions.html", {"opinions": opinions})


def detail_context(request: HttpRequest, opinion: Opinion) -> dict[str, Any]:
    user: Any = request.user
    may_change = user.has_action("opinions.change", opinion.org)
    followups = list(opinion.followups.select_related("assignee").order_by("pk"))
    return {
        "opinion": opinion,
        "attachments": list(opinion.attachments.all()),
        "followups": [(item, OutcomeForm(initial={"version": item.version})) for item in followups],
        "may_change": may_change,
        "relabel_form": RelabelForm(initial={"topic": opinion.topic}),
        "followup_form": FollowUpForm(org=opinion.org) if may_change else None,
    }


class OpinionDetailView(ScopedDetailView):
    model = Opinion
    template_name = "opinions/opinion_detail.html"

    def base_queryset(self) -> Any:
        return Opinion.objects.select_related(
            "org", "submitter", "reviewed_by", "model_version", "rule", "subtopic"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request, cast(Opinion, self.object)))
        return context

    def _again(self, opinion: Opinion, **forms: Any) -> HttpResponse:
        context = detail_context(self.request, opinion)
        context.update(forms)
        return render(self.request, self.template_name, context, status=400)


class OpinionRelabelView(OpinionDetailView):
    """POST: staff set or confirm the topic."""

    action = "opinions.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        opinion = cast(Opinion, self.get_object())
        form = RelabelForm(request.POST)
        if form.is_valid():
            try:
                services.opinion_relabel(actor=request.user, opinion=opinion, **form.cleaned_data)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已更正分类，这条内容将用于下次训练模型。"))
                return redirect("opinions:opinion_detail", pk=opinion.pk)
        return self._again(opinion, relabel_form=form)


class OpinionAssignView(OpinionDetailView):
    """POST: hand the opinion to someone, with a deadline."""

    action = "opinions.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        opinion = cast(Opinion, self.get_object())
        form = FollowUpForm(request.POST, org=opinion.org)
        if form.is_valid():
            try:
                services_work.followup_assign(
                    actor=request.user, opinion=opinion, **form.cleaned_data
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已交办。"))
                return redirect("opinions:opinion_detail", pk=opinion.pk)
        return self._again(opinion, followup_form=form)


class FollowUpRespondView(ScopedDetailView):
    """POST: the assignee records what was done."""

    model = OpinionFollowUp
    action = "opinions.change"
    http_method_names = ["post"]

    def base_queryset(self) -> Any:
        return OpinionFollowUp.objects.select_related("org", "opinion")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        followup = cast(OpinionFollowUp, self.get_object())
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services_work.followup_respond(
                    actor=request.user,
                    followup=followup,
                    outcome=form.cleaned_data["outcome"],
                    version=form.cleaned_data["version"],
                )
            except TransitionError as problem:
                messages.error(request, "；".join(problem.messages))
            else:
                messages.success(request, _("已登记办理结果。"))
        else:
            messages.error(request, _("请填写办理结果。"))
        return redirect("opinions:opinion_detail", pk=followup.opinion_id)


class AttachmentDownloadView(ScopedDetailView):
    model = OpinionAttachment

    def base_queryset(self) -> Any:
        return OpinionAttachment.objects.select_related("opinion")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        attachment = cast(OpinionAttachment, self.get_object())
        if not default_storage.exists(attachment.file_path):
            raise Http404
        with default_storage.open(attachment.file_path, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=attachment.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=attachment.file_name
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
