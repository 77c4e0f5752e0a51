import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.activities.models import Activity
from warmhome.activities.timeline_sources import HELD_STATES
from warmhome.orgs.models import OrgUnit
from warmhome.volunteers.models import (
    Availability,
    ServiceCategory,
    TeamKind,
    TeamMember,
    VolunteerStatus,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _units(user: Any, action: str) -> Any:
    return OrgUnit.objects.visible_to(user, action).filter(is_active=True).order_by("path")


def _categories() -> Any:
    return ServiceCategory.objects.filter(is_active=True)


class VolunteerForm(forms.Form):
    skills = forms.CharField(
        label=_("特长技能"), max_length=200, required=False, help_text=_("多项用顿号或空格分隔。")
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("服务意向"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.ChoiceField(label=_("可服务时间"), choices=Availability.choices)
    service_areas = forms.ModelMultipleChoiceField(
        label=_("服务区域"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = _categories()  # type: ignore[attr-defined]
        self.fields["service_areas"].queryset = _units(user, "volunteers.view")  # type: ignore[attr-defined]


class VolunteerCreateForm(VolunteerForm):
    person_query = forms.CharField(
        label=_("人员"),
        max_length=50,
        help_text=_("填写身份证号、姓名或人员编号（如 #123），须能唯一确定一人。"),
    )
    org = forms.ModelChoiceField(
        label=_("登记单位"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    joined_on = forms.DateField(label=_("加入日期"), required=False, widget=_DATE)
    guardian_consent = forms.BooleanField(label=_("未满十八周岁：已取得监护人同意"), required=False)
    field_order = ["person_query", "org", "joined_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["org"].queryset = _units(user, "volunteers.change")  # type: ignore[attr-defined]


class VolunteerUpdateForm(VolunteerForm):
    status = forms.ChoiceField(label=_("状态"), choices=VolunteerStatus.choices)
    national_number = forms.CharField(label=_("中国志愿服务网编号"), max_length=40, required=False)
    username = forms.CharField(
        label=_("本人登录账号"),
        max_length=150,
        required=False,
        help_text=_("志愿者本人的账号（由系统管理员开通），关联后她可登录查看本人时长和证明。"),
    )


class TeamForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("所属组织"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("队伍名称"), max_length=100)
    kind = forms.ModelChoiceField(label=_("队伍类型"), queryset=TeamKind.objects.none())
    categories = forms.ModelMultipleChoiceField(
        label=_("服务类别"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=_DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _units(user, "volunteers.change")  # type: ignore[attr-defined]
        self.fields["kind"].queryset = TeamKind.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["categories"].queryset = _categories()  # type: ignore[attr-defined]


class MemberAddForm(forms.Form):
    volunteer_number = forms.CharField(label=_("志愿者编号"), max_length=30)
    role = forms.ChoiceField(label=_("职务"), choices=TeamMember.Role.choices)


#: how far back the activities offered for hours entered by hand go
RECENT_ACTIVITY_DAYS = 365


class RecordForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("所属活动"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_(
            "近一年平台上的活动；选择时服务时间不能超出活动时间，活动名称可不填。"
            "更早的活动请直接填写活动名称。"
        ),
    )
    org = forms.ModelChoiceField(
        label=_("记录单位"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    activity_title = forms.CharField(label=_("活动名称"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("服务类别"), queryset=ServiceCategory.objects.none(), required=False
    )
    started_at = forms.DateTimeField(label=_("开始时间"), widget=_DATETIME)
    ended_at = forms.DateTimeField(label=_("结束时间"), widget=_DATETIME)
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), max_digits=6, decimal_places=2, min_value=Decimal("0")
    )
    content = forms.CharField(
        label=_("服务内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _units(user, "volunteers.change")  # type: ignore[attr-defined]
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]
        self.fields["activity"].queryset = (  # type: ignore[attr-defined]
            # A year of them: all of a district's over the years would make a drop-down of
            # tens of thousands.
            Activity.objects.visible_to(user, "activities.view")
            .filter(
                state__in=HELD_STATES,
                starts_at__gte=timezone.now() - datetime.timedelta(days=RECENT_ACTIVITY_DAYS),
            )
            .order_by("-starts_at")
        )
        self.fields["activity_title"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("activity") and not data.get("activity_title"):
            self.add_error("activity_title", _("请填写活动名称。"))
        return data

    def service_values(self) -> dict[str, Any]:
        """The form's values as ``service_record_enter`` takes them."""
        values = dict(self.cleaned_data)
        activity = values.pop("activity", None)
        if activity is not None:
            values["activity_title"] = values["activity_title"] or activity.title
            values["activity_ref"] = f"activities.Activity:{activity.pk}"
            values["activity_start"] = activity.starts_at
            values["activity_end"] = activity.ends_at
        return values


class CorrectionForm(forms.Form):
    started_at = forms.DateTimeField(label=_("开始时间"), widget=_DATETIME)
    ended_at = forms.DateTimeField(label=_("结束时间"), widget=_DATETIME)
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=6, decimal_places=2)
    content = forms.CharField(
        label=_("服务内容"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("更正原因"), max_length=500)


class DecisionForm(forms.Form):
    transition = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CertificateIssueForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("出具单位"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    period_start = forms.DateField(label=_("服务起始日期"), required=False, widget=_DATE)
    period_end = forms.DateField(label=_("服务截止日期"), required=False, widget=_DATE)
    responsible_person = forms.CharField(label=_("负责人"), max_length=50)
    handler = forms.CharField(label=_("经办人"), max_length=50)
    contact = forms.CharField(label=_("联系方式"), max_length=50)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = _units(user, "volunteers.certify")  # type: ignore[attr-defined]


class CorrectionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("需要更正的内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecruitForm(forms.Form):
    skill = forms.CharField(label=_("特长技能"), max_length=50, required=False)
    area = forms.ModelChoiceField(
        label=_("服务区域"), queryset=OrgUnit.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("服务类别"), queryset=ServiceCategory.objects.none(), required=False
    )
    availability = forms.ChoiceField(
        label=_("可服务时间"), choices=[("", "—"), *Availability.choices], required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _units(user, "volunteers.view")  # type: ignore[attr-defined]
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    subject = forms.CharField(label=_("邀请标题"), max_length=200)
    body = forms.CharField(
        label=_("邀请内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
