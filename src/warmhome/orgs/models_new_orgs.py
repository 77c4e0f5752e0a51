"""The "两新" organisations (non-public enterprises and social organisations) and grid leaders.

A ``NewOrg`` is owned by the community or grid it sits in (``org``): its community and grid are
read from there, so moving a community moves its organisations' scope and roll-ups with it.
Its women's organisation is an ``OrgUnit`` of kind ``new_org`` under the community; the
establishment mode (单建/联建) is the unit's own fact (``OrgUnit.establishment_mode``), and the
organisations of a joint (联建) women's organisation are the ``NewOrg`` rows pointing at the same
unit — one relation, so partners can never disagree with the unit they share.

``GridLeader`` is the grid women's leader (网格妇女小组长/网格长), one current per grid, with
history kept (``ended_on``). Persons are referenced by model label only: ``people`` sits above
``orgs``; templates draw them through the ``person_display`` filter.
"""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from warmhome.core.identifiers import credit_code_validator
from warmhome.core.models import OrgScopedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class NewOrgKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("非公有制企业")
    SOCIAL_ORG = "social_org", _("社会组织")


class NewOrgSubkind(models.TextChoices):
    COMPANY = "company", _("有限责任公司/股份有限公司")
    SOLE_OR_PARTNERSHIP = "sole_or_partnership", _("个人独资/合伙企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    SOCIAL_GROUP = "social_group", _("社会团体")
    PRIVATE_NON_ENTERPRISE = "private_non_enterprise", _("民办非企业单位")
    FOUNDATION = "foundation", _("基金会")
    OTHER = "other", _("其他")


#: which subkinds belong to which kind
SUBKINDS_OF: dict[str, set[str]] = {
    NewOrgKind.ENTERPRISE: {
        NewOrgSubkind.COMPANY,
        NewOrgSubkind.SOLE_OR_PARTNERSHIP,
        NewOrgSubkind.INDIVIDUAL_BUSINESS,
        NewOrgSubkind.COOPERATIVE,
        NewOrgSubkind.OTHER,
    },
    NewOrgKind.SOCIAL_ORG: {
        NewOrgSubkind.SOCIAL_GROUP,
        NewOrgSubkind.PRIVATE_NON_ENTERPRISE,
        NewOrgSubkind.FOUNDATION,
        NewOrgSubkind.OTHER,
    },
}

#: the kind and subkind a credit code's first two characters announce (GB 32100)
CREDIT_CODE_PREFIXES: dict[str, tuple[str, str]] = {
    "91": (NewOrgKind.ENTERPRISE, NewOrgSubkind.COMPANY),
    "92": (NewOrgKind.ENTERPRISE, NewOrgSubkind.INDIVIDUAL_BUSINESS),
    "93": (NewOrgKind.ENTERPRISE, NewOrgSubkind.COOPERATIVE),
    "51": (NewOrgKind.SOCIAL_ORG, NewOrgSubkind.SOCIAL_GROUP),
    "52": (NewOrgKind.SOCIAL_ORG, NewOrgSubkind.PRIVATE_NON_ENTERPRISE),
    "53": (NewOrgKind.SOCIAL_ORG, NewOrgSubkind.FOUNDATION),
}


class NewOrgQuerySet(ScopedQuerySet["NewOrg"]):
    def active(self) -> "NewOrgQuerySet":
        return self.filter(is_active=True)


class NewOrgManager(OrgScopedManager.from_queryset(NewOrgQuerySet)):  # type: ignore[misc]
    pass


class NewOrg(OrgScopedModel):
    name = models.CharField(_("名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[credit_code_validator]
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NewOrgKind.choices)
    subkind = models.CharField(
        _("细分类型"), max_length=30, choices=NewOrgSubkind.choices, blank=True
    )
    industry = models.CharField(_("行业"), max_length=50, blank=True)
    employees = models.PositiveIntegerField(_("从业人员数"), default=0)
    female_employees = models.PositiveIntegerField(_("女职工数"), default=0)
    has_party_org = models.BooleanField(_("已建党组织"), default=False)
    womens_org = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("妇女组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covered_new_orgs",
        limit_choices_to={"kind": "new_org"},
    )
    is_active = models.BooleanField(_("有效"), default=True)
    deactivated_on = models.DateField(_("注销/停用日期"), null=True, blank=True)
    deactivation_reason = models.CharField(_("停用原因"), max_length=200, blank=True)

    objects: ClassVar[NewOrgManager] = NewOrgManager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("两新组织")
        verbose_name_plural = _("两新组织")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(female_employees__lte=models.F("employees")),
                name="orgs_neworg_female_within_employees",
                violation_error_message=_("女职工数不能大于从业人员数。"),
            ),
        ]
        indexes = [
            models.Index(fields=["org", "is_active"], name="orgs_neworg_org_active"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def grid(self) -> Any:
        """The grid it is assigned to, if any."""
        return self.org if self.org.kind == "grid" else None

    @property
    def community(self) -> Any:
        """The community it sits in (the grid's parent when assigned to a grid)."""
        if self.org.kind == "grid":
            return type(self.org).objects.get_parent(self.org)
        return self.org


class GridLeaderTitle(models.TextChoices):
    WOMENS_GROUP_LEADER = "womens_group_leader", _("网格妇女小组长")
    GRID_HEAD = "grid_head", _("网格长")


class GridLeaderQuerySet(ScopedQuerySet["GridLeader"]):
    def current(self) -> "GridLeaderQuerySet":
        return self.filter(ended_on__isnull=True)


class GridLeaderManager(OrgScopedManager.from_queryset(GridLeaderQuerySet)):  # type: ignore[misc]
    pass


class GridLeader(OrgScopedModel):
    """The women's leader of the grid ``org`` for one term."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(
        _("职务"),
        max_length=24,
        choices=GridLeaderTitle.choices,
        default=GridLeaderTitle.WOMENS_GROUP_LEADER,
    )
    started_on = models.DateField(_("任职日期"))
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects: ClassVar[GridLeaderManager] = GridLeaderManager()

    class Meta:
        ordering = ["org", "-started_on", "pk"]
        verbose_name = _("网格妇女负责人")
        verbose_name_plural = _("网格妇女负责人")
        constraints = [
            models.UniqueConstraint(
                fields=["org"],
                condition=models.Q(ended_on__isnull=True),
                name="orgs_gridleader_one_current",
                violation_error_message=_("该网格已有在任的妇女负责人。"),
            ),
        ]

    def __str__(self) -> str:
        # No name: the audit trail would otherwise carry a shielded person's name.
        return f"{self.get_title_display()}#{self.pk}"
