"""Forms of the opinions pages; every rule is the services' (these only parse)."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.accounts.models import Post, User
from warmhome.opinions.models import ProposalKind, ReportPeriod, Subtopic
from warmhome.opinions.sources import all_channels
from warmhome.opinions.topics import Topic
from warmhome.orgs.models import OrgUnit

#: the text field's own ceiling; the policy's (usually lower) limit is checked by the service
TEXT_FIELD_MAX = 100_000


def units_for(user: Any, *actions: str) -> Any:
    """Active units where ``user`` holds one of ``actions``, in tree order."""
    units = OrgUnit.objects.none()
    for action in actions:
        units = units | OrgUnit.objects.visible_to(user, action)
    return units.filter(is_active=True).distinct().order_by("path")


def users_holding(action: str, org: Any = None) -> Any:
    """Active users with a current post granting ``action`` (over ``org``, when given)."""
    posts = Post.objects.current().filter(user__is_active=True).select_related("role", "org")
    if org is not None:
        posts = posts.filter(
            org__path__in=[org.path[:end] for end in range(4, len(org.path) + 1, 4)]
        )
    ids = {post.user_id for post in posts if action in (post.role.actions or [])}
    return User.objects.filter(pk__in=ids).order_by("username")


class OpinionForm(forms.Form):
    channel = forms.ChoiceField(label=_("收集渠道"))
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=OrgUnit.objects.none())
    text = forms.CharField(
        label=_("反映内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
        required=False,
        max_length=TEXT_FIELD_MAX,
    )
    anonymous = forms.BooleanField(label=_("匿名反映（报告和列表中不显示反映人）"), required=False)
    attachment = forms.FileField(label=_("附件（PDF、JPG、PNG，可不传）"), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = user.has_action("opinions.change")
        self.fields["channel"].choices = [  # type: ignore[attr-defined]
            (channel.key, channel.label)
            for channel in all_channels()
            if (staff or channel.duty) and not channel.public and channel.key != "batch_import"
        ]
        units = units_for(user, "opinions.submit", "opinions.change")
        self.fields["org"].queryset = units  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
            # The unit of her own post (the shallowest), not a grid below it.
            first = units.first()
            if first is not None:
                self.initial.setdefault("org", first.pk)


class RelabelForm(forms.Form):
    topic = forms.ChoiceField(label=_("主题"), choices=Topic.choices)
    subtopic = forms.ModelChoiceField(
        label=_("子主题"), queryset=Subtopic.objects.filter(is_active=True), required=False
    )


class FollowUpForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none())
    request = forms.CharField(label=_("办理要求"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, org: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users_holding("opinions.change", org)  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class KeywordRuleForm(forms.Form):
    org = forms.ModelChoiceField(label=_("所属组织"), queryset=OrgUnit.objects.none())
    keywords = forms.CharField(
        label=_("关键词"), max_length=500, help_text=_("多个关键词用“、”或逗号分隔。")
    )
    topic = forms.ChoiceField(label=_("归入主题"), choices=Topic.choices)
    subtopic = forms.ModelChoiceField(
        label=_("归入子主题"), queryset=Subtopic.objects.filter(is_active=True), required=False
    )
    priority = forms.IntegerField(label=_("优先级"), min_value=0, max_value=1000, initial=0)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units_for(user, "opinions.classify")  # type: ignore[attr-defined]


class ReportCreateForm(forms.Form):
    org = forms.ModelChoiceField(label=_("报告单位"), queryset=OrgUnit.objects.none())
    period = forms.ChoiceField(label=_("周期"), choices=ReportPeriod.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("月份或季度"), min_value=1, max_value=12)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = units_for(user, "opinions.report")  # type: ignore[attr-defined]


class ReportEditForm(forms.Form):
    problems = forms.CharField(
        label=_("主要问题"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    suggestions = forms.CharField(
        label=_("对策建议"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ProposalKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    carrier = forms.ModelChoiceField(label=_("领衔代表/委员"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = users_holding("opinions.submit")  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("政府部门答复"), widget=forms.Textarea(attrs={"rows": 4}))
    changes = forms.CharField(
        label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class SubtopicForm(forms.Form):
    topic = forms.ChoiceField(label=_("主题"), choices=Topic.choices)
    name = forms.CharField(label=_("子主题名称"), max_length=50)
    is_active = forms.BooleanField(
        label=_("启用"),
        required=False,
        initial=True,
        help_text=_("停用后不再供选择，已归入的意见保留。"),
    )
