from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import (
    Category,
    Education,
    EmploymentStatus,
    MaritalStatus,
    Person,
    Sex,
)


def _with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class PersonForm(forms.Form):
    """The person's fields; validation of ID and phone is the service's (``person_create``)."""

    org = forms.ModelChoiceField(
        label=_("所属社区或网格"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("姓名"), max_length=50)
    sex = forms.ChoiceField(label=_("性别"), choices=_with_blank(Sex.choices), required=False)
    citizen_id = forms.CharField(label=_("身份证号"), max_length=30, required=False)
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        help_text=_("填写身份证号时按身份证号自动推算。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ethnic_group = forms.CharField(label=_("民族"), max_length=20, required=False, initial="汉族")
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    residence_address = forms.CharField(label=_("居住地址"), max_length=200, required=False)
    registered_address = forms.CharField(label=_("户籍地址"), max_length=200, required=False)
    education = forms.ChoiceField(
        label=_("文化程度"), choices=_with_blank(Education.choices), required=False
    )
    employment_status = forms.ChoiceField(
        label=_("就业状况"), choices=_with_blank(EmploymentStatus.choices), required=False
    )
    marital_status = forms.ChoiceField(
        label=_("婚姻状况"), choices=_with_blank(MaritalStatus.choices), required=False
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("人员类别"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = OrgUnit.objects.visible_to(user, "people.change").filter(  # type: ignore[attr-defined]
            kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True
        )

    @staticmethod
    def initial_for(person: Person) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(person, name) for name in _PERSON_FORM_FIELDS}
        initial["org"] = person.org_id
        initial["categories"] = list(person.categories.all())
        return initial

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in _PERSON_FORM_FIELDS}


_PERSON_FORM_FIELDS = (
    "name",
    "sex",
    "citizen_id",
    "birth_date",
    "ethnic_group",
    "phone",
    "residence_address",
    "registered_address",
    "education",
    "employment_status",
    "marital_status",
)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("事由"), max_length=200)


class ShieldForm(forms.Form):
    reason = forms.CharField(
        label=_("保护原因"),
        max_length=200,
        help_text=_("仅持有“设置受保护人员”权限的工作人员可见。"),
    )
