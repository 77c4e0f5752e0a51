from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.activities.models import COVER_EXTENSIONS, Activity, ActivityKind
from warmhome.activities.services import ACTIVITY_FIELDS
from warmhome.orgs.models import OrgUnit

_DATETIME = {"type": "datetime-local"}


def _when(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs=_DATETIME, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


class ActivityForm(forms.Form):
    """The facts of an activity; rules (times, windows, kinds) are the service's."""

    org = forms.ModelChoiceField(
        label=_("主办组织"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    kind = forms.ModelChoiceField(
        label=_("活动类型"), queryset=ActivityKind.objects.filter(is_active=True), empty_label=None
    )
    title = forms.CharField(label=_("活动名称"), max_length=100)
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("协办组织"), queryset=OrgUnit.objects.none(), required=False
    )
    venue = forms.CharField(label=_("活动地点"), max_length=200)
    starts_at = _when(_("开始时间"))
    ends_at = _when(_("结束时间"))
    capacity = forms.IntegerField(
        label=_("名额"), min_value=0, initial=0, help_text=_("0 表示不限名额。")
    )
    audience = forms.CharField(label=_("参加对象"), max_length=200, required=False)
    signup_opens_at = _when(_("报名开始时间"), required=False)
    signup_closes_at = _when(_("报名截止时间"), required=False)
    description = forms.CharField(label=_("活动内容"), widget=forms.Textarea, required=False)
    cover = forms.ImageField(
        label=_("封面图片"),
        required=False,
        help_text=_("JPG、PNG 或 WebP，不超过 5 MB。"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in COVER_EXTENSIONS)}
        ),
    )
    topic = forms.CharField(
        label=_("沙龙主题"), max_length=200, required=False, help_text=_("沙龙活动填写。")
    )
    minutes = forms.CharField(label=_("沙龙纪要"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user, "activities.change").filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["org"].queryset = units  # type: ignore[attr-defined]
        self.fields["co_organisers"].queryset = OrgUnit.objects.filter(is_active=True)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
        initial["org"] = activity.org_id
        initial["co_organisers"] = list(activity.co_organisers.all())
        return initial

    def service_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS}
        values["capacity"] = values["capacity"] or 0
        values["topic"] = values["topic"] or ""
        values["minutes"] = values["minutes"] or ""
        return values


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("活动总结"), widget=forms.Textarea)
    minutes = forms.CharField(label=_("沙龙纪要"), widget=forms.Textarea, required=False)
    photos = forms.ImageField(
        label=_("活动照片"), required=False, help_text=_("JPG、PNG 或 WebP，每张不超过 5 MB。")
    )
    caption = forms.CharField(label=_("照片说明"), max_length=200, required=False)


class TickForm(forms.Form):
    checked_in_at = _when(_("签到时间"), required=False)
    checked_out_at = _when(_("签退时间"), required=False)


class PublicIdentityForm(forms.Form):
    """Name and mobile, as the resident typed them; checked by the service."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
