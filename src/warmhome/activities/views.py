"""Workbench pages of the activities engine: list, detail, form, workflow, sign-ups, summary."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.activities import services
from warmhome.activities.forms import ActivityForm, SummaryForm
from warmhome.activities.models import Activity, ActivityKind, SignUp, SignUpStatus
from warmhome.activities.selectors import activity_counts, roster, signup_display_name
from warmhome.activities.workflow import ACTIVITY
from warmhome.core.scoping import get_for_user
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.core.workflows.selectors import timeline, transitions_available
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.people.selectors import person_search


def apply_errors(form: Any, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


def flash_errors(request: HttpRequest, problem: ValidationError) -> None:
    for message in problem.messages:
        messages.error(request, message)


class ActivityListView(ScopedListView):
    model = Activity
    template_name = "activities/activity_list.html"
    context_object_name = "activities"
    paginate_by = 30

    def base_queryset(self) -> Any:
        activities = Activity.objects.select_related("org", "kind")
        state = self.request.GET.get("state", "")
        if state in {state.code for state in ACTIVITY.states}:
            activities = activities.filter(state=state)
        kind = self.request.GET.get("kind", "")
        if kind:
            activities = activities.filter(kind__code=kind)
        query = self.request.GET.get("q", "").strip()
        if query:
            activities = activities.filter(title__icontains=query)
        return activities.order_by("-starts_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context.update(
            query=self.request.GET.get("q", ""),
            state=self.request.GET.get("state", ""),
            kind=self.request.GET.get("kind", ""),
            states=ACTIVITY.states,
            kinds=list(ActivityKind.objects.filter(is_active=True)),
            may_change=user.has_action("activities.change"),
        )
        return context


class ActivityDetailView(ScopedDetailView):
    model = Activity
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def base_queryset(self) -> Any:
        return Activity.objects.select_related("org", "kind", "created_by")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        activity = cast(Activity, self.object)
        user: Any = self.request.user
        query = self.request.GET.get("q", "").strip()
        found: list[Any] = []
        may_change = user.has_action("activities.change", activity.org)
        if query and may_change:
            persons = person_search(user, query)[:10]
            found = [(person, render_person(person, viewer=user)) for person in persons]
        signups = list(roster(activity))
        context.update(
            counts=activity_counts(activity),
            rows=[(signup, signup_display_name(signup, user)) for signup in signups],
            state_label=ACTIVITY.state_label(activity.state),
            transitions=transitions_available(user, activity),
            timeline=timeline(activity),
            co_organisers=list(activity.co_organisers.all()),
            photos=list(activity.photos.all()),
            may_change=may_change,
            may_attend=user.has_action("activities.attendance", activity.org),
            may_export=user.has_action("activities.export", activity.org),
            query=query,
            found=found,
            public_path=activity.public_code,
        )
        return context


@scope_exempt("creates an activity in an organisation chosen from the user's own scope")
@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("activities.change"):
        raise PermissionDenied(_("您没有组织活动的权限。"))
    form = ActivityForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=user,
                org=form.cleaned_data["org"],
                co_organisers=list(form.cleaned_data["co_organisers"]),
                cover=form.cleaned_data.get("cover") or None,
                **form.service_values(),
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已创建活动（草稿），发布后即可报名。"))
            return redirect("activities:activity_detail", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


class ActivityUpdateView(ScopedDetailView):
    model = Activity
    action = "activities.change"
    template_name = "activities/activity_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        form = ActivityForm(initial=ActivityForm.initial_for(activity), user=request.user)
        return render(request, self.template_name, {"form": form, "activity": activity})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        form = ActivityForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            values = form.service_values()
            try:
                if form.cleaned_data["org"].pk != activity.org_id:
                    raise ValidationError({"org": [_("主办组织创建后不能更改。")]})
                services.activity_update(
                    actor=request.user,
                    activity=activity,
                    co_organisers=list(form.cleaned_data["co_organisers"]),
                    cover=form.cleaned_data.get("cover") or None,
                    **values,
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已保存。"))
                return redirect("activities:activity_detail", pk=activity.pk)
        return render(request, self.template_name, {"form": form, "activity": activity})


class ActivityTransitionView(ScopedDetailView):
    """POST: take a workflow transition (publish, start, finish, summarise, cancel)."""

    model = Activity
    action = "activities.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        name = request.POST.get("transition", "")
        version = request.POST.get("version", "")
        try:
            services.activity_transition(
                actor=request.user,
                activity=activity,
                transition=name,
                comment=request.POST.get("comment", ""),
                version=int(version) if version.isdigit() else None,
            )
        except LookupError:
            messages.error(request, _("请选择要执行的操作。"))
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(
                request,
                _("已执行“%(transition)s”。") % {"transition": ACTIVITY.transition(name).label},
            )
        return redirect("activities:activity_detail", pk=activity.pk)


class ActivitySignUpView(ScopedDetailView):
    """POST ``person``: staff sign a person (found through people search) up."""

    model = Activity
    action = "activities.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        person_pk = request.POST.get("person", "")
        if not person_pk.isdigit():
            messages.error(request, _("请先检索并选择要报名的人员。"))
            return redirect("activities:activity_detail", pk=activity.pk)
        person = get_for_user(Person.objects.current(), request.user, person_pk, "people.view")
        try:
            signup = services.signup_create(actor=request.user, activity=activity, person=person)
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            if signup.status == SignUpStatus.WAITING:
                messages.warning(
                    request,
                    _("名额已满，已列入候补名单第 %(position)s 位。")
                    % {"position": services.waiting_position(signup)},
                )
            else:
                messages.success(request, _("已报名。"))
        return redirect("activities:activity_detail", pk=activity.pk)


class SignUpCancelView(ScopedDetailView):
    """POST: cancel a sign-up; the first on the waiting list moves up and is told."""

    model = SignUp
    action = "activities.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signup = cast(SignUp, self.get_object())
        try:
            promoted = services.signup_cancel(actor=request.user, signup=signup)
        except ValidationError as problem:
            flash_errors(request, problem)
        else:
            messages.success(request, _("已取消报名。"))
            if promoted is not None:
                messages.info(
                    request,
                    _("候补人员 %(name)s 已递补，并已通知。")
                    % {"name": signup_display_name(promoted, request.user)},
                )
        return redirect("activities:activity_detail", pk=signup.activity_id)


class ActivitySummaryView(ScopedDetailView):
    model = Activity
    action = "activities.change"
    template_name = "activities/activity_summary.html"

    def _render(self, request: HttpRequest, activity: Activity, form: SummaryForm) -> HttpResponse:
        if not activity.is_salon:
            del form.fields["minutes"]
        context = {"activity": activity, "form": form, "counts": activity_counts(activity)}
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        form = SummaryForm(initial={"summary": activity.summary, "minutes": activity.minutes})
        return self._render(request, activity, form)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        activity = cast(Activity, self.get_object())
        form = SummaryForm(request.POST, request.FILES)
        if form.is_valid():
            photo = form.cleaned_data.get("photos")
            try:
                services.activity_summary_save(
                    actor=request.user,
                    activity=activity,
                    summary=form.cleaned_data["summary"],
                    minutes=form.cleaned_data["minutes"] if activity.is_salon else None,
                    photos=[photo] if photo else [],
                    caption=form.cleaned_data["caption"],
                )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已保存活动总结。"))
                return redirect("activities:activity_detail", pk=activity.pk)
        return self._render(request, activity, form)


class SignUpLinkView(ScopedDetailView):
    """A guest sign-up: find the registry person she is (GET ``q``) and link her (POST)."""

    model = SignUp
    action = "activities.change"
    template_name = "activities/signup_link.html"

    def base_queryset(self) -> Any:
        return SignUp.objects.select_related("activity", "org")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signup = cast(SignUp, self.get_object())
        query = request.GET.get("q", "").strip() or signup.guest_name
        persons: list[Person] = list(person_search(request.user, query)[:10]) if query else []
        context = {
            "signup": signup,
            "name": signup_display_name(signup, request.user),
            "query": query,
            "found": [(person, render_person(person, viewer=request.user)) for person in persons],
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signup = cast(SignUp, self.get_object())
        person_pk = request.POST.get("person", "")
        if not person_pk.isdigit():
            messages.error(request, _("请先检索并选择人员。"))
            return redirect("activities:signup_link", pk=signup.pk)
        person = get_for_user(Person.objects.current(), request.user, person_pk, "people.view")
        try:
            services.signup_link_person(actor=request.user, signup=signup, person=person)
        except ValidationError as problem:
            flash_errors(request, problem)
            return redirect("activities:signup_link", pk=signup.pk)
        messages.success(request, _("已关联人员库。"))
        return redirect("activities:activity_detail", pk=signup.activity_id)
