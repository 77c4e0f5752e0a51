"""What the federation records about each women's organisation beyond its place in the tree.

The seed asks that every organisation "有阵地、有人员、有经费" and grows "先建立、后完善、再提高":

* venue (阵地), establishment mode (单建/联建) and the current stage sit on ``OrgUnit`` itself;
* ``StageRecord`` keeps each stage reached, its date, its evidence and the checklist items met;
  the items are the managed list ``StageCriterion`` (no national list exists, DOMAIN.md §2);
* ``UnitMember`` is the unit's people: chair, vice-chairs, part-time vice-chairs, members, each
  linked to a person of the registry and/or an account's post;
* ``UnitFunding`` is the unit's funds, one row per year;
* ``OrgUnitNameChange`` is the history of names (renames from the official code list).

Persons and posts are referenced by model label only: ``people`` sits above ``orgs`` and
``accounts`` beside it, so this module may not import them.
"""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    PART_TIME_VICE_CHAIR = "part_time_vice_chair", _("兼职副主席")
    MEMBER = "member", _("执委")


class StageCriterion(AuditedModel, TimeStampedModel):
    """One item of a stage's checklist; a global managed list, not org-owned."""

    stage = models.CharField(
        _("建设阶段"),
        max_length=12,
        choices=[
            ("established", _("已建立")),
            ("improved", _("已完善")),
            ("elevated", _("已提高")),
        ],
        db_index=True,
    )
    text = models.CharField(_("标准"), max_length=200)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("阶段标准")
        verbose_name_plural = _("阶段标准")

    def __str__(self) -> str:
        return self.text


class StageRecord(OrgScopedModel):
    """A stage the unit reached: when, on what evidence, which checklist items were met."""

    stage = models.CharField(
        _("建设阶段"),
        max_length=12,
        choices=StageCriterion._meta.get_field("stage").choices,
    )
    reached_on = models.DateField(_("达到日期"))
    evidence = models.TextField(_("佐证材料"))
    criteria_met = models.ManyToManyField(
        StageCriterion, verbose_name=_("已达到的标准"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["org", "reached_on", "pk"]
        verbose_name = _("阶段记录")
        verbose_name_plural = _("阶段记录")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.reached_on}"


class UnitMember(OrgScopedModel):
    """A person serving in a unit's women's organisation, in one role, for one term."""

    role = models.CharField(_("职务"), max_length=24, choices=MemberRole.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    post = models.ForeignKey(
        "accounts.Post",
        verbose_name=_("岗位账号"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    term_start = models.DateField(_("任职日期"), null=True, blank=True)
    term_end = models.DateField(_("离任日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)

    class Meta:
        ordering = ["org", "role", "pk"]
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(post__isnull=False),
                name="orgs_unitmember_person_or_post",
                violation_error_message=_("请选择人员或岗位账号。"),
            ),
        ]
        indexes = [models.Index(fields=["org", "role", "is_active"], name="orgs_member_org_role")]

    def __str__(self) -> str:
        # No name here: the audit trail would otherwise carry a shielded person's name.
        return f"{self.get_role_display()}#{self.pk}"


class UnitFunding(OrgScopedModel):
    """The unit's funds of one year (经费)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    source = models.CharField(_("经费来源"), max_length=100)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        ordering = ["org", "-year"]
        verbose_name = _("组织经费")
        verbose_name_plural = _("组织经费")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="orgs_unitfunding_once_a_year",
                violation_error_message=_("该组织本年度经费已登记。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"


class NameChangeQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "unit__path"


class NameChangeManager(OrgScopedManager.from_queryset(NameChangeQuerySet)):  # type: ignore[misc]
    pass


class OrgUnitNameChange(AuditedModel, TimeStampedModel):
    """A unit's former name and the last day it was valid.

    The unit keeps its row and code; the old name is valid up to ``valid_to`` (the day before
    ``changed_on``), from the previous change or the unit's ``valid_from``. Owned through
    ``unit`` rather than ``org`` so that a merge does not move another unit's history.
    """

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="name_changes",
    )
    old_name = models.CharField(_("原名称"), max_length=100)
    new_name = models.CharField(_("新名称"), max_length=100)
    valid_from = models.DateField(_("原名称启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("原名称停用日期"))
    source = models.CharField(_("来源"), max_length=100, blank=True)

    objects: ClassVar[NameChangeManager] = NameChangeManager()

    class Meta:
        ordering = ["unit", "valid_to", "pk"]
        verbose_name = _("组织更名记录")
        verbose_name_plural = _("组织更名记录")

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"
