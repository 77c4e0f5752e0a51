"""Forms of organisation management; every rule is the service's, forms only parse."""

from typing import Any

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.models import (
    ALLOWED_CHILDREN,
    EstablishmentMode,
    MemberRole,
    OrgKind,
    OrgUnit,
    Stage,
    StageCriterion,
)
from warmhome.orgs.person_display import find_person

CHANGE = "orgs.change"
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units(user: Any) -> Any:
    return OrgUnit.objects.visible_to(user, CHANGE).filter(is_active=True)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class OrgUnitCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=())
    name = forms.CharField(label=_("名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=50, required=False)
    code = forms.CharField(
        label=_("统计代码"),
        max_length=20,
        required=False,
        help_text=_("统计用区划代码（12位）等官方代码，没有可留空"),
    )
    valid_from = forms.DateField(label=_("启用日期"), required=False, widget=_DATE)

    def __init__(self, *args: Any, parent: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = ALLOWED_CHILDREN[parent.kind]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in OrgKind.choices if value in kinds
        ]


class OrgUnitMoveForm(forms.Form):
    new_parent = UnitChoiceField(label=_("新的上级组织"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_kinds = [
            kind for kind, children in ALLOWED_CHILDREN.items() if unit.kind in children
        ]
        self.fields["new_parent"].queryset = (  # type: ignore[attr-defined]
            _units(user).filter(kind__in=parent_kinds).exclude(path__startswith=unit.path)
        )


class OrgUnitMergeForm(forms.Form):
    keep = UnitChoiceField(
        label=_("并入的组织"),
        queryset=OrgUnit.objects.none(),
        help_text=_("本组织的下级组织和全部业务记录将转到所选组织，本组织停用但保留历史。"),
    )
    on = forms.DateField(label=_("合并生效日期"), required=False, widget=_DATE)

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = (  # type: ignore[attr-defined]
            _units(user).filter(kind=unit.kind).exclude(pk=unit.pk)
        )


class DateForm(forms.Form):
    on = forms.DateField(
        label=_("生效日期"), required=False, widget=_DATE, help_text=_("不填为今天")
    )


class OrgUnitRenameForm(forms.Form):
    name = forms.CharField(label=_("新名称"), max_length=100)
    on = forms.DateField(
        label=_("新名称启用日期"), required=False, widget=_DATE, help_text=_("不填为今天")
    )


class OrgUnitFactsForm(forms.Form):
    establishment_mode = forms.ChoiceField(
        label=_("组建方式"),
        choices=[("", "—"), *EstablishmentMode.choices],
        required=False,
    )
    joint_partner_names = forms.CharField(
        label=_("联建单位"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("联建时填写，每行一个单位名称"),
    )
    joint_units = UnitMultipleChoiceField(
        label=_("联建组织"), queryset=OrgUnit.objects.none(), required=False
    )
    has_venue = forms.BooleanField(label=_("有阵地"), required=False)
    venue_area = forms.DecimalField(
        label=_("阵地面积（平方米）"), required=False, max_digits=8, decimal_places=1
    )
    venue_address = forms.CharField(label=_("阵地地址"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joint_units"].queryset = (  # type: ignore[attr-defined]
            OrgUnit.objects.visible_to(user).filter(is_active=True).exclude(pk=unit.pk)
        )

    @staticmethod
    def initial_for(unit: OrgUnit) -> dict[str, Any]:
        return {
            "establishment_mode": unit.establishment_mode,
            "joint_partner_names": unit.joint_partner_names,
            "joint_units": list(unit.joint_units.all()),
            "has_venue": unit.has_venue,
            "venue_area": unit.venue_area,
            "venue_address": unit.venue_address,
        }


class CriteriaField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


class StageRecordForm(forms.Form):
    stage = forms.ChoiceField(label=_("建设阶段"), choices=Stage.choices)
    reached_on = forms.DateField(label=_("达到日期"), widget=_DATE)
    evidence = forms.CharField(
        label=_("佐证材料"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如选举结果批复文号、阵地照片编号、制度文件名称等"),
    )
    criteria = CriteriaField(
        label=_("已达到的标准"),
        queryset=StageCriterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, next_stage: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].initial = next_stage
        self.fields["reached_on"].initial = timezone.localdate()
        self.fields["criteria"].queryset = StageCriterion.objects.filter(  # type: ignore[attr-defined]
            is_active=True, stage=next_stage or Stage.ESTABLISHED
        )


class UnitMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("职务"), choices=MemberRole.choices)
    person = forms.CharField(
        label=_("人员"),
        required=False,
        max_length=50,
        help_text=_(
            "本组织及下级组织登记的人员：填写完整身份证号、姓名或“#人员编号”；"
            "找到多人时请填写完整身份证号。"
        ),
    )
    post: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("岗位账号"),
        queryset=None,
        required=False,
        help_text=_("兼任的妇联干部可关联其岗位账号"),
    )
    term_start = forms.DateField(label=_("任职日期"), required=False, widget=_DATE)

    def __init__(self, *args: Any, user: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.unit = user, unit
        post_model = apps.get_model("accounts", "Post")
        post_field: Any = self.fields["post"]
        post_field.queryset = (
            post_model.objects.visible_to(user, CHANGE)
            .filter(org__path__startswith=unit.path, is_active=True)
            .select_related("user", "org", "role")
        )
        post_field.label_from_instance = lambda post: (
            f"{post.user.display_name or post.user.username}（{post.org.name}·{post.role.name}）"
        )

    def clean_person(self) -> Any:
        text = self.cleaned_data["person"]
        return find_person(self.user, text, within=self.unit) if text else None


class UnitFundingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2)
    source = forms.CharField(
        label=_("经费来源"), max_length=100, help_text=_("如：街道财政拨款、党建经费、社会捐赠")
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class StageCriterionForm(forms.Form):
    stage = forms.ChoiceField(label=_("建设阶段"), choices=Stage.choices)
    text = forms.CharField(label=_("标准"), max_length=200)
    order = forms.IntegerField(label=_("排序"), initial=100, min_value=0, max_value=32767)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)
