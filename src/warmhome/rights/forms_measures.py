"""Forms of the measures taken in a case; they parse input only, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.rights.models import (
    ApplicantKind,
    ClosureOutcome,
    FollowUpWay,
    OrderMeasure,
    ReferralKind,
    ReportedTo,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = forms.Textarea(attrs={"rows": 3})


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=_DATE)


def _measures(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=OrderMeasure.choices, widget=forms.CheckboxSelectMultiple
    )


class SafetyPlanForm(forms.Form):
    safe_contacts = forms.CharField(label=_("紧急联系人"), widget=_TEXT, required=False)
    safe_place = forms.CharField(label=_("安全去处"), widget=_TEXT, required=False)
    documents_ready = forms.BooleanField(label=_("证件、钱款等已备好"), required=False)
    escape_route = forms.CharField(label=_("撤离路线"), widget=_TEXT, required=False)
    code_word = forms.CharField(label=_("求助暗号"), max_length=100, required=False)
    other_items = forms.CharField(label=_("其他事项"), widget=_TEXT, required=False)
    reviewed_on = _date(_("复核日期"), required=False)


class WarningLetterForm(forms.Form):
    number = forms.CharField(label=_("告诫书编号"), max_length=50)
    issued_on = _date(_("出具日期"))
    police_station = forms.CharField(label=_("出具单位（派出所）"), max_length=100)
    facts = forms.CharField(label=_("事实摘要"), widget=_TEXT, required=False)


class WarningVisitForm(forms.Form):
    visited_on = _date(_("回访日期"))
    visitors = forms.CharField(
        label=_("回访人员"),
        max_length=200,
        help_text=_("如：社区居委会张某、派出所民警李某"),
    )
    note = forms.CharField(label=_("回访情况"), widget=_TEXT, required=False)


class OrderApplyForm(forms.Form):
    applicant_kind = forms.ChoiceField(label=_("申请人"), choices=ApplicantKind.choices)
    court = forms.CharField(label=_("受理法院"), max_length=100)
    is_urgent = forms.BooleanField(label=_("情况紧急（24 小时内裁定）"), required=False)
    measures_requested = _measures(_("申请的措施"))
    other_measure = forms.CharField(label=_("其他措施内容"), max_length=200, required=False)
    applied_on = _date(_("申请日期"), required=False)


class OrderAcceptForm(forms.Form):
    accepted_at = forms.DateTimeField(label=_("受理时间"), widget=_DATETIME)


class OrderIssueForm(forms.Form):
    order_number = forms.CharField(label=_("保护令文号"), max_length=60)
    measures_granted = _measures(_("裁定的措施"))
    valid_from = _date(_("生效日期"))
    valid_until = _date(_("有效期至"))


class OrderRefuseForm(forms.Form):
    ruled_on = _date(_("裁定日期"))
    note = forms.CharField(label=_("说明"), widget=_TEXT, required=False)


class OrderReconsiderForm(forms.Form):
    requested_on = _date(_("申请复议日期"))
    note = forms.CharField(label=_("说明"), widget=_TEXT, required=False)


class OrderWithdrawForm(forms.Form):
    withdrawn_on = _date(_("撤回日期"))
    note = forms.CharField(label=_("说明"), widget=_TEXT, required=False)


class OrderChangeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("申请事项"),
        choices=[("extend", _("延长")), ("change", _("变更")), ("revoke", _("撤销"))],
    )
    requested_on = _date(_("申请日期"))
    note = forms.CharField(label=_("说明"), widget=_TEXT, required=False)


class OrderDecideForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("法院决定"),
        choices=[(1, _("准许")), (0, _("不准许"))],
        coerce=lambda value: value in (1, "1", True),
    )
    decided_on = _date(_("决定日期"))
    valid_until = _date(_("延长后的有效期至"), required=False)
    measures_granted = forms.MultipleChoiceField(
        label=_("变更后的措施"),
        choices=OrderMeasure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(label=_("说明"), widget=_TEXT, required=False)


class OrderViolationForm(forms.Form):
    occurred_on = _date(_("发生日期"))
    description = forms.CharField(label=_("违反情况"), widget=_TEXT)
    reported_to = forms.ChoiceField(label=_("已报告"), choices=ReportedTo.choices)


class ShelterAdmitForm(forms.Form):
    place = forms.CharField(
        label=_("庇护场所"), max_length=200, help_text=_("加密保存，只有个案团队可见。")
    )
    from_on = _date(_("入住日期"))
    until_on = _date(_("离开日期（预计）"))
    children_count = forms.IntegerField(label=_("随同子女人数"), min_value=0, initial=0)
    extension_reason = forms.CharField(
        label=_("延长理由"), widget=_TEXT, required=False, help_text=_("超过规定天数时必填。")
    )


class ShelterExtendForm(forms.Form):
    until_on = _date(_("延长至"))
    reason = forms.CharField(label=_("延长理由"), widget=_TEXT, required=False)


class ShelterLeaveForm(forms.Form):
    left_on = _date(_("实际离开日期"))


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("转介类型"), choices=ReferralKind.choices)
    referred_to = forms.CharField(label=_("转介至"), max_length=100)
    referred_on = _date(_("转介日期"))


class ReferralOutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("结果"), widget=_TEXT)
    outcome_on = _date(_("结果日期"))


class MandatoryReportForm(forms.Form):
    reported_at = forms.DateTimeField(label=_("报告时间"), widget=_DATETIME)
    police_unit = forms.CharField(label=_("接报单位"), max_length=100)
    receipt_number = forms.CharField(label=_("回执编号"), max_length=60)


class FollowUpForm(forms.Form):
    followed_on = _date(_("回访日期"))
    way = forms.ChoiceField(label=_("回访方式"), choices=FollowUpWay.choices)
    note = forms.CharField(label=_("回访情况"), widget=_TEXT, required=False)
    next_on = _date(_("下次回访日期"), required=False)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结案情形"), choices=ClosureOutcome.choices)
    closed_on = _date(_("结案日期"), required=False)
    note = forms.CharField(label=_("结案说明"), widget=_TEXT, required=False)
