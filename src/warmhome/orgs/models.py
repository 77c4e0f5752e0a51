"""The organisation tree: district → street → community → grid, and the women's organisations
beside them. A materialized path (django-treebeard) makes "this unit's subtree" one indexed
prefix predicate, which is what scoping and every roll-up use.
"""

from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from warmhome.core.models import AuditedModel, TimeStampedModel
from warmhome.core.scoping import ScopedQuerySet


class OrgKind(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    STREET = "street", _("街道")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")
    NEW_ORG = "new_org", _("两新组织妇女组织")
    ASSOCIATION = "association", _("联谊组织")
    UNIT_COMMITTEE = "unit_committee", _("机关事业单位妇委会")


#: which kinds may sit directly under which
ALLOWED_CHILDREN: dict[str, set[str]] = {
    OrgKind.CITY: {OrgKind.DISTRICT, OrgKind.ASSOCIATION, OrgKind.UNIT_COMMITTEE},
    OrgKind.DISTRICT: {
        OrgKind.STREET,
        OrgKind.NEW_ORG,
        OrgKind.ASSOCIATION,
        OrgKind.UNIT_COMMITTEE,
    },
    OrgKind.STREET: {OrgKind.COMMUNITY, OrgKind.NEW_ORG, OrgKind.ASSOCIATION},
    OrgKind.COMMUNITY: {OrgKind.GRID, OrgKind.NEW_ORG, OrgKind.ASSOCIATION},
    OrgKind.GRID: set(),
    OrgKind.NEW_ORG: set(),
    OrgKind.ASSOCIATION: set(),
    OrgKind.UNIT_COMMITTEE: set(),
}


class UrbanRuralClass(models.TextChoices):
    """城乡分类代码 of the official village-level code list (统计用区划和城乡划分代码)."""

    MAIN_URBAN = "111", _("111 主城区")
    URBAN_FRINGE = "112", _("112 城乡结合区")
    TOWN_CENTRE = "121", _("121 镇中心区")
    TOWN_FRINGE = "122", _("122 镇乡结合区")
    SPECIAL_AREA = "123", _("123 特殊区域")
    TOWNSHIP_CENTRE = "210", _("210 乡中心区")
    VILLAGE = "220", _("220 村庄")


class EstablishmentMode(models.TextChoices):
    STANDALONE = "standalone", _("单建")
    JOINT = "joint", _("联建")


class Stage(models.TextChoices):
    """先建立、后完善、再提高: the stages in the order a unit reaches them."""

    ESTABLISHED = "established", _("已建立")
    IMPROVED = "improved", _("已完善")
    ELEVATED = "elevated", _("已提高")


#: the rank of each stage (a unit reaches them in this order)
STAGE_ORDER: dict[str, int] = {Stage.ESTABLISHED: 1, Stage.IMPROVED: 2, Stage.ELEVATED: 3}


class OrgUnitQuerySet(ScopedQuerySet, MP_NodeQuerySet):
    org_path_lookup = "path"

    def active(self) -> Self:
        return self.filter(is_active=True)


class OrgUnitManager(MP_NodeManager):
    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user: object, action: str = "view") -> OrgUnitQuerySet:
        return self.get_queryset().visible_to(user, action)


class OrgUnit(AuditedModel, TimeStampedModel, MP_Node):
    steplen = 4
    # Siblings without an official code keep the order they were created in (第一, 第二 …网格).
    node_order_by = ["code"]

    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    code = models.CharField(
        _("统计代码"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("统计用区划代码（12位）等官方代码，没有可留空"),
    )
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    urban_rural_class = models.CharField(
        _("城乡分类代码"), max_length=3, choices=UrbanRuralClass.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("已合并至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    # The seed's facts of a women's organisation (有阵地、有人员、有经费; 单建/联建; stages).
    # People and funds are rows of their own (UnitMember, UnitFunding), see models_facts.
    establishment_mode = models.CharField(
        _("组建方式"), max_length=12, choices=EstablishmentMode.choices, blank=True
    )
    joint_partner_names = models.TextField(
        _("联建单位"), blank=True, help_text=_("联建时填写，每行一个单位名称")
    )
    joint_units = models.ManyToManyField(
        "self",
        verbose_name=_("联建组织"),
        symmetrical=False,
        blank=True,
        related_name="joint_with",
    )
    stage = models.CharField(_("建设阶段"), max_length=12, choices=Stage.choices, blank=True)
    stage_reached_on = models.DateField(_("达到阶段日期"), null=True, blank=True)
    has_venue = models.BooleanField(_("有阵地"), default=False)
    venue_area = models.DecimalField(
        _("阵地面积（平方米）"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    venue_address = models.CharField(_("阵地地址"), max_length=200, blank=True)

    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="orgs_orgunit_code_unique",
                violation_error_message=_("该统计代码已被其他组织使用。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def org(self) -> Self:
        """An organisation owns itself, so code that reads ``record.org`` works on units too."""
        return self

    def full_name(self) -> str:
        names = [ancestor.name for ancestor in type(self).objects.get_ancestors(self)] + [self.name]
        return " / ".join(names)

    def partner_names(self) -> list[str]:
        return [line.strip() for line in self.joint_partner_names.splitlines() if line.strip()]


# The facts recorded per unit live in their own module; imported here so Django finds them.
from warmhome.orgs.models_facts import (  # noqa: E402
    MemberRole,
    OrgUnitNameChange,
    StageCriterion,
    StageRecord,
    UnitFunding,
    UnitMember,
)

# The "两新" organisations and grid leaders (coverage), likewise in their own module.
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg  # noqa: E402

__all__ = [
    "ALLOWED_CHILDREN",
    "STAGE_ORDER",
    "EstablishmentMode",
    "GridLeader",
    "MemberRole",
    "NewOrg",
    "OrgKind",
    "OrgUnit",
    "OrgUnitNameChange",
    "Stage",
    "StageCriterion",
    "StageRecord",
    "UnitFunding",
    "UnitMember",
    "UrbanRuralClass",
]
