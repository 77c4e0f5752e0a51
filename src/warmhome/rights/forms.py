from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.models import OrgUnit
from warmhome.rights.models import AbuserRelationship
from warmhome.rights.scoring import ScoringDefinition

_DATE = forms.DateInput(attrs={"type": "date"})


class IntakeForm(forms.Form):
    abuser_name = forms.CharField(label=_("施暴人姓名"), max_length=50, required=False)
    abuser_relationship = forms.ChoiceField(
        label=_("与受害人关系"), choices=AbuserRelationship.choices
    )
    is_minor = forms.BooleanField(label=_("未成年人"), required=False)
    is_elderly = forms.BooleanField(label=_("老年人"), required=False)
    is_disabled = forms.BooleanField(label=_("残疾人"), required=False)
    is_pregnant_or_nursing = forms.BooleanField(label=_("孕期、哺乳期妇女"), required=False)
    is_seriously_ill = forms.BooleanField(label=_("重病患者"), required=False)
    lacks_capacity = forms.BooleanField(
        label=_("无民事行为能力或限制民事行为能力的成年人"),
        required=False,
        help_text=_("如精神或智力障碍，不能完全辨认自己的行为；此类情形须向公安机关强制报告。"),
    )
    history = forms.CharField(label=_("既往家暴情况"), widget=forms.Textarea, required=False)
    narrative = forms.CharField(
        label=_("受理陈述"),
        widget=forms.Textarea,
        required=False,
        help_text=_("提交后锁定，之后只能以补充说明更正。"),
    )


class CaseOpenForm(IntakeForm):
    org = forms.ModelChoiceField(
        label=_("受理单位"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    victim_query = forms.CharField(
        label=_("受害人"),
        max_length=50,
        help_text=_("填写身份证号、姓名或人员编号（如 #123），须能唯一确定一人。"),
    )
    children_query = forms.CharField(
        label=_("涉及子女"),
        max_length=200,
        required=False,
        help_text=_("填写人员编号，多人用空格分隔（如 #12 #13）。"),
    )
    opened_on = forms.DateField(label=_("受理日期"), required=False, widget=_DATE)
    field_order = ["org", "victim_query", "children_query", "opened_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.visible_to(user, "rights.change")
            .filter(is_active=True)
            .order_by("path")
        )


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("补充内容"), widget=forms.Textarea)


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("查阅事由"),
        widget=forms.Textarea,
        help_text=_("事由将记入审计日志并通知工作站站长。"),
    )


class AssignForm(forms.Form):
    workers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("承办人员"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = candidates  # type: ignore[attr-defined]


def assessment_form(scoring: ScoringDefinition, data: Any = None) -> forms.Form:
    """A form with one field per item of ``scoring``."""
    form = forms.Form(data)
    form.fields["assessed_on"] = forms.DateField(label=_("评估日期"), required=False, widget=_DATE)
    for item in scoring.items:
        if scoring.answer_max == 1:
            form.fields[item.code] = forms.TypedChoiceField(
                label=str(item.label), choices=[(1, _("是")), (0, _("否"))], coerce=int
            )
        else:
            form.fields[item.code] = forms.TypedChoiceField(
                label=str(item.label),
                choices=[
                    (1, _("从不")),
                    (2, _("很少")),
                    (3, _("有时")),
                    (4, _("经常")),
                    (5, _("总是")),
                ],
                coerce=int,
            )
    return form
