"""Forms of help requests and legal consultations (they parse; the services check)."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.rights.models import (
    Channel,
    Outcome,
    PetitionCategory,
    ReferralSource,
    ReplyChannel,
    Satisfaction,
)

_DATE = forms.DateInput(attrs={"type": "date"})


class CategoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def _categories() -> Any:
    return PetitionCategory.objects.filter(is_active=True).select_related("parent")


def _communities() -> Any:
    return OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path")


class _RequesterFields(forms.Form):
    #: one per page load: the service registers a request once per key (double clicks)
    intake_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    category = CategoryChoiceField(label=_("求助类别"), queryset=PetitionCategory.objects.none())
    community = forms.ModelChoiceField(
        label=_("所在社区"), queryset=OrgUnit.objects.none(), required=False
    )
    requester_name = forms.CharField(label=_("求助人姓名"), max_length=50, required=False)
    requester_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    requester_address = forms.CharField(label=_("住址"), max_length=200, required=False)
    content = forms.CharField(label=_("求助内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]
        self.fields["community"].queryset = _communities()  # type: ignore[attr-defined]


class IntakeForm(_RequesterFields):
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices)
    referral_source = forms.ChoiceField(
        label=_("转办来源"), choices=[("", "—"), *ReferralSource.choices], required=False
    )
    referral_ref = forms.CharField(label=_("转办单号"), max_length=40, required=False)
    person_query = forms.CharField(
        label=_("已登记人员"),
        max_length=50,
        required=False,
        help_text=_(
            "已登记的人员填写身份证号、姓名或人员编号（如 #123）；未登记的填写下面的姓名和电话。"
        ),
    )
    received_on = forms.DateField(label=_("登记日期"), required=False, widget=_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intake_key"].initial = uuid.uuid4

    field_order = [
        "channel",
        "referral_source",
        "referral_ref",
        "category",
        "person_query",
        "requester_name",
        "requester_phone",
        "requester_address",
        "community",
        "content",
        "received_on",
    ]


class PublicRequestForm(_RequesterFields):
    consent = forms.BooleanField(
        label=_("我同意妇联为办理本求助事项处理我填写的个人信息"),
        error_messages={"required": _("请勾选同意，才能提交求助。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intake_key"].initial = uuid.uuid4
        self.fields["community"].required = True
        self.fields["requester_name"].required = True
        self.fields["requester_phone"].required = True


class StepForm(forms.Form):
    """The inputs of any step of the request's workflow; each step reads what it needs."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea)
    to_org = forms.ModelChoiceField(
        label=_("转入单位"), queryset=OrgUnit.objects.none(), required=False
    )
    days = forms.IntegerField(label=_("延期天数"), required=False, min_value=1)
    reply_text = forms.CharField(label=_("答复内容"), required=False, widget=forms.Textarea)
    reply_channel = forms.ChoiceField(
        label=_("答复方式"), choices=[("", "—"), *ReplyChannel.choices], required=False
    )
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=[("", "—"), *[c for c in Outcome.choices if c[0] != Outcome.NOT_ACCEPTED]],
        required=False,
    )
    replied_on = forms.DateField(label=_("答复日期"), required=False, widget=_DATE)
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=[("", "—"), *Satisfaction.choices], required=False
    )
    followup_note = forms.CharField(label=_("回访记录"), required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            is_active=True,
            kind__in=[OrgKind.DISTRICT, OrgKind.STREET, OrgKind.COMMUNITY],
        ).order_by("path")


class ConsultationForm(forms.Form):
    request_number = forms.CharField(label=_("关联求助事项编号"), max_length=20, required=False)
    person_query = forms.CharField(
        label=_("咨询人"),
        max_length=50,
        required=False,
        help_text=_("身份证号、姓名或人员编号（如 #123）；关联求助事项时可不填。"),
    )
    lawyer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("志愿律师"),
        queryset=None,  # type: ignore[arg-type]  # set per request in __init__
        empty_label=None,
    )
    consulted_on = forms.DateField(label=_("咨询日期"), required=False, widget=_DATE)
    question = forms.CharField(label=_("咨询问题"), widget=forms.Textarea(attrs={"rows": 3}))
    advice = forms.CharField(label=_("法律意见"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_needed = forms.BooleanField(label=_("需要跟进"), required=False)

    def __init__(self, *args: Any, lawyers: list[Any], labels: dict[int, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from warmhome.volunteers.models import Volunteer

        field: Any = self.fields["lawyer"]
        field.queryset = Volunteer.objects.filter(pk__in=[lawyer.pk for lawyer in lawyers])
        field.label_from_instance = lambda volunteer: labels.get(volunteer.pk, "—")


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False, widget=_DATE)
    end = forms.DateField(label=_("截止日期"), required=False, widget=_DATE)
