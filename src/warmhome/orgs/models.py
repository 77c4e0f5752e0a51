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
        names = [ancestor.name for ancestor in self.get_ancestors()] + [self.name]
        return " / ".join(names)
