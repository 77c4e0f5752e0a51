from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.core.identifiers import CreditCodeField
from warmhome.orgs.models import OrgUnit
from warmhome.orgs.models_new_orgs import GridLeaderTitle, NewOrg, NewOrgKind, NewOrgSubkind
from warmhome.orgs.person_display import find_person
from warmhome.orgs.services_new_orgs import NEW_ORG_FIELDS, NEW_ORG_PLACES, community_of


def _with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class NewOrgForm(forms.Form):
    org = forms.ModelChoiceField(
        label=_("所属社区或网格"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("名称"), max_length=200)
    credit_code = CreditCodeField(label=_("统一社会信用代码"), max_length=30)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=_with_blank(NewOrgKind.choices),
        required=False,
        help_text=_("留空时按统一社会信用代码推断。"),
    )
    subkind = forms.ChoiceField(
        label=_("细分类型"), choices=_with_blank(NewOrgSubkind.choices), required=False
    )
    industry = forms.CharField(label=_("行业"), max_length=50, required=False)
    employees = forms.IntegerField(label=_("从业人员数"), min_value=0, initial=0)
    female_employees = forms.IntegerField(label=_("女职工数"), min_value=0, initial=0)
    has_party_org = forms.BooleanField(label=_("已建党组织"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = OrgUnit.objects.visible_to(user, "orgs.change").filter(  # type: ignore[attr-defined]
            kind__in=NEW_ORG_PLACES, is_active=True
        )

    @staticmethod
    def initial_for(new_org: NewOrg) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(new_org, name) for name in NEW_ORG_FIELDS}
        initial["org"] = new_org.org_id
        return initial

    def service_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in NEW_ORG_FIELDS}


class WomensOrgForm(forms.Form):
    """The women's organisation of a 两新 organisation: standalone, or joint with neighbours."""

    mode = forms.ChoiceField(
        label=_("组建方式"),
        choices=[("standalone", _("单建")), ("joint", _("联建"))],
        initial="standalone",
        widget=forms.RadioSelect,
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("联建单位"),
        queryset=NewOrg.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("联建时选择同一社区内尚无妇女组织的两新组织。"),
    )
    name = forms.CharField(
        label=_("妇女组织名称"),
        max_length=100,
        required=False,
        help_text=_("留空时按单位名称自动生成。"),
    )

    def __init__(self, *args: Any, user: Any, new_org: NewOrg, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = community_of(new_org.org)
        self.fields["partners"].queryset = (  # type: ignore[attr-defined]
            NewOrg.objects.visible_to(user, "orgs.change")
            .active()
            .filter(org__path__startswith=community.path)
            .exclude(womens_org__is_active=True)
            .exclude(pk=new_org.pk)
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("mode") == "joint" and not cleaned.get("partners"):
            self.add_error("partners", _("联建请至少选择一家联建单位。"))
        if cleaned.get("mode") == "standalone":
            cleaned["partners"] = []
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("停用原因"), max_length=200)


class GridLeaderForm(forms.Form):
    person = forms.CharField(
        label=_("人员"),
        max_length=50,
        help_text=_(
            "本社区及其网格登记的人员：填写完整身份证号、姓名或“#人员编号”；"
            "找到多人时请填写完整身份证号。"
        ),
    )
    title = forms.ChoiceField(
        label=_("职务"),
        choices=GridLeaderTitle.choices,
        initial=GridLeaderTitle.WOMENS_GROUP_LEADER,
    )
    started_on = forms.DateField(
        label=_("任职日期"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: Any, grid: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.community = user, community_of(grid)

    def clean_person(self) -> Any:
        return find_person(self.user, self.cleaned_data["person"], within=self.community)
