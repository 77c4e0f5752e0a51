"""The analysis pages (counts, trends, rises; a topic's keywords and alike opinions), the keyword
rules and the model versions."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from warmhome.core.jobs import job_start
from warmhome.core.policy import policy_value
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.opinions import selectors, services
from warmhome.opinions.forms import KeywordRuleForm, SubtopicForm
from warmhome.opinions.models import KeywordRule, ModelVersion, Opinion, Subtopic
from warmhome.opinions.tasks import model_train_task
from warmhome.opinions.text_analysis import duplicate_groups, keywords_by_topic
from warmhome.opinions.topics import TOPIC_CODES, Topic
from warmhome.opinions.views import apply_errors
from warmhome.orgs.models import OrgUnit


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if low <= value <= high else default


def _unit_for(request: HttpRequest) -> OrgUnit | None:
    """The unit asked for if the user may view opinions there, else her top unit."""
    user: Any = request.user
    units = OrgUnit.objects.visible_to(user, "opinions.view").order_by("path")
    wanted = request.GET.get("unit", "")
    if wanted.isdigit():
        chosen = units.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen
    return units.first()


@scope_exempt("aggregates opinions read through visible_to(user, 'opinions.view') only")
@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    unit = _unit_for(request)
    if unit is None:
        raise PermissionDenied(_("您没有查看妇情民意的权限。"))
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    month = _int(request.GET.get("month"), today.month if year == today.year else 12, 1, 12)
    opinions = Opinion.objects.visible_to(user, "view")
    overview = selectors.overview(opinions, unit, year, month)
    list_url = reverse("opinions:opinion_list")
    chart = {
        "months": [_("%(month)d月") % {"month": number} for number in overview.trend.months],
        "series": [
            {"code": code, "name": str(Topic(code).label), "data": values}
            for code, values in overview.trend.series.items()
        ],
        "drill": f"{list_url}?unit={unit.pk}",
        "year": year,
        "labels": {"trend": _("各月各主题件数（点击查看原文）")},
    }
    changes = overview.trend.change(month)
    return render(
        request,
        "opinions/analysis.html",
        {
            "overview": overview,
            "unit": unit,
            "year": year,
            "month": month,
            "chart": chart,
            "changes": [(code, Topic(code).label, *changes[code]) for code in TOPIC_CODES],
            "topic_headers": [Topic(code).label for code in TOPIC_CODES],
            "unit_rows": [
                (row.unit, [row.counts[code] for code in TOPIC_CODES], row.total)
                for row in overview.children
            ],
        },
    )


@scope_exempt("reads opinions through visible_to(user, 'opinions.view') only")
@login_required
def analysis_topic(request: HttpRequest) -> HttpResponse:
    """One month: each topic's keywords, and groups of opinions telling the same matter."""
    user: Any = request.user
    unit = _unit_for(request)
    if unit is None:
        raise PermissionDenied(_("您没有查看妇情民意的权限。"))
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    month = _int(request.GET.get("month"), today.month, 1, 12)
    topic = request.GET.get("topic") if request.GET.get("topic") in Topic.values else None
    period = selectors.Period.month(year, month)
    opinions = selectors.in_period(
        selectors.within(Opinion.objects.visible_to(user, "view"), unit), period
    ).order_by("-occurred_at")
    texts: dict[str, list[str]] = {code: [] for code in TOPIC_CODES}
    for code, text in opinions.values_list("topic", "text")[:5000]:
        texts[code].append(text)
    chosen = opinions.filter(topic=topic) if topic else opinions
    groups = duplicate_groups(
        list(chosen.select_related("org")[:2000]),
        threshold=float(policy_value("opinions.duplicate_similarity_min")),
    )
    return render(
        request,
        "opinions/analysis_topic.html",
        {
            "unit": unit,
            "period": period,
            "year": year,
            "month": month,
            "topic": topic,
            "topic_label": Topic(topic).label if topic else "",
            "keywords": [
                (code, Topic(code).label, words)
                for code, words in keywords_by_topic(texts).items()
                if topic in (None, code)
            ],
            "groups": groups[:20],
            "topics": Topic.choices,
        },
    )


class KeywordRuleListView(ScopedListView):
    model = KeywordRule
    action = "opinions.classify"
    template_name = "opinions/rule_list.html"
    context_object_name = "rules"

    def base_queryset(self) -> Any:
        return KeywordRule.objects.select_related("org", "subtopic").order_by("-priority", "pk")


@scope_exempt("creates a rule in a unit the form offers only within the user's posts")
@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("opinions.classify"):
        raise PermissionDenied(_("您没有维护关键词规则的权限。"))
    form = KeywordRuleForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.keyword_rule_save(actor=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已保存关键词规则。"))
            return redirect("opinions:rule_list")
    return render(request, "opinions/rule_form.html", {"form": form})


class KeywordRuleEditView(ScopedDetailView):
    model = KeywordRule
    action = "opinions.classify"
    template_name = "opinions/rule_form.html"

    def base_queryset(self) -> Any:
        return KeywordRule.objects.select_related("org", "subtopic")

    def _form(self, rule: KeywordRule, data: Any = None) -> KeywordRuleForm:
        initial = {
            "org": rule.org_id,
            "keywords": rule.keywords,
            "topic": rule.topic,
            "subtopic": rule.subtopic_id,
            "priority": rule.priority,
            "is_active": rule.is_active,
            "note": rule.note,
        }
        return KeywordRuleForm(data, initial=initial, user=self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = cast(KeywordRule, self.get_object())
        return render(request, self.template_name, {"form": self._form(rule), "rule": rule})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rule = cast(KeywordRule, self.get_object())
        form = self._form(rule, request.POST)
        if form.is_valid():
            try:
                services.keyword_rule_save(actor=request.user, rule=rule, **form.cleaned_data)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已保存关键词规则。"))
                return redirect("opinions:rule_list")
        return render(request, self.template_name, {"form": form, "rule": rule}, status=400)


@scope_exempt("model versions belong to no organisation; the page needs opinions.classify")
@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("opinions.classify"):
        raise PermissionDenied(_("您没有训练分类模型的权限。"))
    versions = ModelVersion.objects.defer("payload").select_related("trained_by")[:50]
    return render(request, "opinions/model_list.html", {"versions": versions})


@scope_exempt("starts a training job; model versions belong to no organisation")
@login_required
@require_POST
def model_train(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("opinions.classify"):
        raise PermissionDenied(_("您没有训练分类模型的权限。"))
    job = job_start(actor=user, task=model_train_task, label=_("训练妇情民意分类模型"))
    return redirect("core:job_detail", job_id=job.pk)


_SUBTOPICS_EXEMPT = "sub-topics belong to no organisation; kept with opinions.classify at the top"


def _require_subtopics(user: Any) -> None:
    if not services.subtopics_may_manage(user):
        raise PermissionDenied(_("子主题全区共用，须由区级负责分类的人员维护。"))


@scope_exempt(_SUBTOPICS_EXEMPT)
@login_required
@require_http_methods(["GET", "POST"])
def subtopic_list(request: HttpRequest) -> HttpResponse:
    """The sub-topics of every topic; the form below adds one."""
    user: Any = request.user
    _require_subtopics(user)
    form = SubtopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subtopic_save(actor=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已新增子主题。"))
            return redirect("opinions:subtopic_list")
    groups = selectors.subtopics_by_topic()
    status = 400 if form.errors else 200
    return render(
        request, "opinions/subtopic_list.html", {"groups": groups, "form": form}, status=status
    )


@scope_exempt(_SUBTOPICS_EXEMPT)
@login_required
@require_http_methods(["GET", "POST"])
def subtopic_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    _require_subtopics(user)
    subtopic = get_object_or_404(Subtopic, pk=pk)
    initial = {"topic": subtopic.topic, "name": subtopic.name, "is_active": subtopic.is_active}
    form = SubtopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subtopic_save(actor=user, subtopic=subtopic, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已保存子主题。"))
            return redirect("opinions:subtopic_list")
    status = 400 if form.errors else 200
    return render(
        request,
        "opinions/subtopic_form.html",
        {"form": form, "subtopic": subtopic},
        status=status,
    )
