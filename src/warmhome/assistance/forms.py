"""Forms of assistance and the relief fund; every rule is the services' (these only parse)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.assistance.models import (
    FollowUpKind,
    Hardship,
    HelpKind,
    Level,
    PaymentMethod,
    ReliefFund,
)
from warmhome.assistance.money import MAX_DIGITS
from warmhome.assistance.selectors import eligible_hardships
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Category, Person
from warmhome.people.selectors import person_search


def _money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=MAX_DIGITS, decimal_places=2, min_value=0, **kwargs
    )


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def pick_person(user: Any, text: str, action: str) -> Person:
    """A person typed as at the counter: full ID, name, ID tail or ``#编号``."""
    text = text.strip()
    if text.startswith("#") and text[1:].isdigit():
        found = list(
            person_search(user, action=action, include_shielded=True).filter(pk=int(text[1:]))
        )
    else:
        found = list(person_search(user, text, action=action)[:2])
    if not found:
        raise forms.ValidationError(
            _("未找到“%(text)s”，或您无权在该人员的组织操作。") % {"text": text}
        )
    if len(found) > 1:
        raise forms.ValidationError(
            _("“%(text)s”对应多名人员，请填写完整身份证号或“#人员编号”。") % {"text": text}
        )
    return found[0]


class _PersonForm(forms.Form):
    person_action = "assistance.change"

    person = forms.CharField(
        label=_("人员"),
        max_length=50,
        help_text=_("填写完整身份证号、姓名或“#人员编号”。"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person(self) -> Person:
        return pick_person(self.user, self.cleaned_data["person"], self.person_action)


class PlanForm(_PersonForm):
    category = forms.ModelChoiceField(
        label=_("人员类别"), queryset=Category.objects.filter(is_active=True)
    )
    needs = forms.CharField(label=_("帮扶需求"), widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.Form):
    happened_on = _date_field(_("回访日期"))
    kind = forms.ChoiceField(label=_("方式"), choices=FollowUpKind.choices)
    findings = forms.CharField(label=_("了解到的情况"), widget=forms.Textarea(attrs={"rows": 3}))
    help_kind = forms.ChoiceField(label=_("提供的帮助"), choices=HelpKind.choices)
    help_amount = _money_field(_("帮助折合金额（元）"), required=False)
    help_detail = forms.CharField(label=_("帮助内容"), max_length=200, required=False)
    next_on = _date_field(
        _("下次回访日期"), required=False, help_text=_("不填则按回访间隔（工作日）计算。")
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("等级"), choices=Level.choices)
    reason = forms.CharField(
        label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApplicationForm(_PersonForm):
    person_action = "assistance.apply"

    fund = forms.ModelChoiceField(label=_("救助资金"), queryset=ReliefFund.objects.none())
    hardship = forms.ChoiceField(label=_("困难类型"), choices=Hardship.choices)
    category = forms.ModelChoiceField(
        label=_("人员类别"), queryset=Category.objects.filter(is_active=True), required=False
    )
    description = forms.CharField(label=_("困难情况"), widget=forms.Textarea(attrs={"rows": 3}))
    amount_requested = _money_field(_("申请金额（元）"))
    is_urgent = forms.BooleanField(label=_("救急解难（先行发放、事后追认）"), required=False)
    evidence = forms.FileField(label=_("证明材料"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # A fund is the district's: every applicant under it may file against it.
        self.fields["fund"].queryset = ReliefFund.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["fund"].empty_label = None  # type: ignore[attr-defined]
        eligible = set(eligible_hardships())
        self.fields["hardship"].choices = [  # type: ignore[attr-defined]
            (code, label) for code, label in Hardship.choices if code in eligible
        ]


class DecisionForm(forms.Form):
    amount_approved = _money_field(_("批准金额（元）"), required=False)
    meeting_ref = forms.CharField(label=_("会议纪要编号"), max_length=100, required=False)
    attendees = forms.CharField(label=_("参会人员"), max_length=300, required=False)
    decision = forms.CharField(label=_("决定意见"), required=False)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PaymentForm(forms.Form):
    amount = _money_field(_("发放金额（元）"), required=False)
    method = forms.ChoiceField(label=_("发放方式"), choices=PaymentMethod.choices)
    voucher_number = forms.CharField(label=_("凭证号"), max_length=50)
    paid_on = _date_field(_("发放日期"), required=False)
    recipient_confirmed = forms.BooleanField(label=_("受助人已确认收到"), required=False)
    confirmation_note = forms.CharField(label=_("确认方式"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("证明材料"))


class FundForm(forms.Form):
    name = forms.CharField(label=_("资金名称"), max_length=100)
    rules_reference = forms.CharField(label=_("管理办法"), max_length=200, required=False)


class BudgetGrantForm(forms.Form):
    fund = forms.ModelChoiceField(label=_("救助资金"), queryset=ReliefFund.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = _money_field(_("金额（元）"))
    decision_ref = forms.CharField(label=_("决定文号/会议纪要"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = ReliefFund.objects.visible_to(  # type: ignore[attr-defined]
            user, "assistance.manage_fund"
        )


class BudgetMoveForm(forms.Form):
    """A top-up (no target) or a transfer to another organisation's share."""

    target_org = forms.ModelChoiceField(
        label=_("调入组织（不填为追加）"), queryset=OrgUnit.objects.none(), required=False
    )
    amount = _money_field(_("金额（元）"))
    decision_ref = forms.CharField(label=_("决定文号/会议纪要"), max_length=100)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_org"].queryset = OrgUnit.objects.visible_to(  # type: ignore[attr-defined]
            user, "assistance.manage_fund"
        ).filter(kind__in=[OrgKind.DISTRICT, OrgKind.STREET], is_active=True)
