from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import (
    Category,
    ConsentChannel,
    Education,
    EmploymentStatus,
    LegalBasis,
    MaritalStatus,
    Person,
    Relationship,
    Sex,
)
from warmhome.people.selectors import person_search


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


# --- households and consents -----------------------------------------------------------------


class PersonPickField(forms.CharField):
    """A person typed as at the counter: full ID, name, pinyin initials, ID tail or ``#编号``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("填写完整身份证号、姓名或“#人员编号”；找到多人时请填写完整身份证号。")
        )
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)


def pick_person(user: Any, text: str, action: str, *, within_path: str = "") -> Person:
    """The one person ``text`` names (as ``PersonPickField`` reads it) among those ``user`` holds
    ``action`` over, registered under the organisation path ``within_path`` if given; a
    forms.ValidationError in Chinese otherwise."""
    text = text.strip()
    if text.startswith("#") and text[1:].isdigit():
        found = person_search(user, action=action, include_shielded=True).filter(pk=int(text[1:]))
    else:
        found = person_search(user, text, action=action)
    if within_path:
        found = found.filter(org__path__startswith=within_path)
    matches = list(found[:2])
    if not matches:
        raise forms.ValidationError(
            _("未找到“%(text)s”，或您无权在该人员的组织操作。") % {"text": text}
        )
    if len(matches) > 1:
        raise forms.ValidationError(
            _("“%(text)s”对应多名人员，请填写完整身份证号或“#人员编号”。") % {"text": text}
        )
    return matches[0]


class _PickingForm(forms.Form):
    #: person fields, each picked among the persons the user holds the given action over
    pick_fields: dict[str, str] = {}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, action in self.pick_fields.items():
            text = cleaned.get(name)
            if text:
                try:
                    cleaned[name] = pick_person(self.user, text, action)
                except forms.ValidationError as problem:
                    self.add_error(name, problem)
            else:
                cleaned[name] = None
        return cleaned


class HouseholdForm(_PickingForm):
    pick_fields = {"head": "people.change"}

    org = forms.ModelChoiceField(
        label=_("所属社区或网格"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    address = forms.CharField(label=_("家庭住址"), max_length=200, required=False)
    head = PersonPickField(label=_("户主"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["org"].queryset = OrgUnit.objects.visible_to(user, "people.change").filter(  # type: ignore[attr-defined]
            kind__in=[OrgKind.COMMUNITY, OrgKind.GRID], is_active=True
        )


class HouseholdMemberForm(_PickingForm):
    pick_fields = {"person": "people.change"}

    person = PersonPickField(label=_("成员"))
    relationship = forms.ChoiceField(
        label=_("与户主关系"), choices=_with_blank(Relationship.choices), required=False
    )


class ConsentForm(_PickingForm):
    """Fields of ``consent_record``; which are required for which basis is the service's rule."""

    # A guardian may live in another community: seeing her record is enough.
    pick_fields = {"guardian": "people.view"}

    purpose = forms.CharField(label=_("处理目的"), max_length=100, required=False)
    legal_basis = forms.ChoiceField(
        label=_("法律依据"), choices=_with_blank(LegalBasis.choices), required=False
    )
    version = forms.CharField(label=_("告知同意书版本"), max_length=20, required=False)
    channel = forms.ChoiceField(
        label=_("同意方式"), choices=_with_blank(ConsentChannel.choices), required=False
    )
    given_at = forms.DateTimeField(
        label=_("同意时间"),
        required=False,
        help_text=_("不填则为当前时间。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    guardian = PersonPickField(
        label=_("监护人"),
        required=False,
        help_text=_("未满十四周岁的人员须由监护人同意；监护人须先登记在人员信息库中。"),
    )
