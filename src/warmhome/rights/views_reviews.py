"""Review (复查) and re-review (复核) of a help request: the application, and the decision."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warmhome.core.views_base import ScopedDetailView
from warmhome.rights import services_reviews
from warmhome.rights.models import HelpRequest, RequestReview, ReviewDecision
from warmhome.rights.workflow_requests import HANDLE


class ReviewRequestForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("申请理由"), widget=forms.Textarea(attrs={"rows": 2})
    )
    requested_on = forms.DateField(
        label=gettext_lazy("申请日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReviewDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("复查（复核）意见"), choices=ReviewDecision.choices
    )
    decision_text = forms.CharField(
        label=gettext_lazy("意见说明"), widget=forms.Textarea(attrs={"rows": 2})
    )


def review_context(user: Any, request: HelpRequest) -> dict[str, Any]:
    """What the request's page shows of its reviews, and the forms the user may fill in."""
    reviews = list(request.reviews.select_related("org").order_by("requested_on", "pk"))
    may_apply = (
        request.replied_on is not None
        and len(reviews) < 2  # a review, then a re-review
        and all(review.decided_on is not None for review in reviews)
        and user.has_action(HANDLE, request.org)
    )
    return {
        "reviews": [
            (review, ReviewDecideForm(prefix=f"review{review.pk}"))
            if review.decided_on is None and user.has_action(HANDLE, review.org)
            else (review, None)
            for review in reviews
        ],
        "review_form": ReviewRequestForm() if may_apply else None,
    }


class ReviewApplyView(ScopedDetailView):
    """POST: record the requester's application for a review (or re-review)."""

    model = HelpRequest
    action = HANDLE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        item: Any = self.get_object()
        form = ReviewRequestForm(request.POST)
        if not form.is_valid():
            return render(request, "rights/form.html", {"form": form, "title": item.number})
        try:
            review = services_reviews.help_request_review_request(
                actor=request.user,
                request=item,
                reason=form.cleaned_data["reason"],
                requested_on=form.cleaned_data["requested_on"],
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已登记%(level)s申请，由 %(org)s 在 %(due)s 前作出意见。")
                % {
                    "level": review.get_level_display(),
                    "org": review.org.name,
                    "due": review.due_on.isoformat(),
                },
            )
        return redirect(item.get_absolute_url())


class ReviewDecideView(ScopedDetailView):
    """POST: the deciding unit records its opinion."""

    model = RequestReview
    action = HANDLE
    http_method_names = ["post"]

    def base_queryset(self) -> Any:
        return RequestReview.objects.select_related("request")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        review: Any = self.get_object()
        form = ReviewDecideForm(request.POST, prefix=f"review{review.pk}")
        if form.is_valid():
            try:
                services_reviews.help_request_review_decide(
                    actor=request.user,
                    review=review,
                    decision=form.cleaned_data["decision"],
                    text=form.cleaned_data["decision_text"],
                )
            except ValidationError as problem:
                for message in problem.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request, _("已作出%(level)s意见。") % {"level": review.get_level_display()}
                )
        else:
            messages.error(request, _("请选择意见并写明理由。"))
        return redirect(review.request.get_absolute_url())
