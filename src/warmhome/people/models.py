"""The person registry: persons, categories, households and consents.

Protected values (citizen ID, phone, addresses) are encrypted at rest; ID and phone carry a
blind index for exact look-up and duplicate detection. ``id_last4`` and ``phone_last4`` are
kept in clear for tail search: four digits out of eighteen (or eleven) identify no one on their
own and are what staff type at the counter, so they are treated as low-sensitivity (they appear
in masked display anyway: ``370102********1234``, ``138****5678``).

No module draws a person's name itself: ``people.rendering.render_person`` is the one place.
"""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from warmhome.core.collation import CodePoint
from warmhome.core.fields import BlindIndexField, EncryptedTextField
from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class Sex(models.TextChoices):
    FEMALE = "female", _("女")
    MALE = "male", _("男")


class Education(models.TextChoices):
    NONE = "none", _("未上学")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("在业")
    UNEMPLOYED = "unemployed", _("失业")
    LAID_OFF = "laid_off", _("下岗")
    RETIRED = "retired", _("退休")
    STUDENT = "student", _("在校学生")
    FARMING = "farming", _("务农")
    OTHER = "other", _("其他")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("未婚")
    MARRIED = "married", _("已婚")
    DIVORCED = "divorced", _("离异")
    WIDOWED = "widowed", _("丧偶")


class Category(TimeStampedModel):
    """A managed group of persons (困难儿童, 留守妇女 …); a global list, not org-owned."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    is_active = models.BooleanField(_("有效"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("人员类别")
        verbose_name_plural = _("人员类别")

    def __str__(self) -> str:
        return self.name


#: what the ``name`` column holds while a person is shielded (data, not a display text: pages
#: show ``people.rendering.SHIELDED_NAME``)
SHIELDED_NAME_STORED = "受保护人员"


class PersonQuerySet(ScopedQuerySet["Person"]):
    def current(self) -> "PersonQuerySet":
        """Persons not merged into another record."""
        return self.filter(merged_into__isnull=True)


class PersonManager(OrgScopedManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


class Person(OrgScopedModel):
    name = models.CharField(_("姓名"), max_length=50)
    name_pinyin_initials = models.CharField(
        _("姓名拼音首字母"), max_length=50, blank=True, editable=False
    )
    sex = models.CharField(_("性别"), max_length=10, choices=Sex.choices)
    citizen_id = EncryptedTextField(_("身份证号"), blank=True)
    citizen_id_index = BlindIndexField(source="citizen_id", purpose="citizen_id", unique=True)
    id_last4 = models.CharField(_("身份证号后四位"), max_length=4, blank=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    ethnic_group = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_index = BlindIndexField(source="phone", purpose="phone")
    phone_last4 = models.CharField(_("电话后四位"), max_length=4, blank=True, editable=False)
    residence_address = EncryptedTextField(_("居住地址"), blank=True)
    registered_address = EncryptedTextField(_("户籍地址"), blank=True)
    education = models.CharField(
        _("文化程度"), max_length=20, choices=Education.choices, blank=True
    )
    employment_status = models.CharField(
        _("就业状况"), max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    marital_status = models.CharField(
        _("婚姻状况"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("人员类别"), blank=True, related_name="persons"
    )
    is_shielded = models.BooleanField(_("受保护"), default=False)
    #: while shielded, ``name`` holds ``SHIELDED_NAME_STORED`` and the real name lives here,
    #: encrypted: a dump of the database must not name a person in danger
    shielded_name = EncryptedTextField(_("受保护人员姓名"), blank=True)
    shield_reason = models.CharField(_("保护原因"), max_length=200, blank=True)
    shielded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置保护人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shielded_at = models.DateTimeField(_("设置保护时间"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("已合并至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )

    objects: ClassVar[PersonManager] = PersonManager()

    # The trail is append-only: a name logged today could not be taken back when the person is
    # shielded tomorrow, so names are never logged (``__str__`` gives a masked one).
    audit_exclude = (
        "name",
        "name_pinyin_initials",
        "shielded_name",
        "citizen_id",
        "citizen_id_index",
        "phone",
        "phone_index",
        "residence_address",
        "registered_address",
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        indexes = [
            models.Index(fields=["name"], name="people_person_name"),
            # Prefix searches walk these in order and stop at the page's end; on PostgreSQL the
            # included columns let the pager's count and the scope check skip the table
            # (docs/benchmarks.md). SQLite ignores ``include``.
            models.Index(
                CodePoint("name"),
                F("id"),
                name="people_person_name_cp",
                include=["org", "merged_into", "is_shielded"],
            ),
            models.Index(
                CodePoint("name_pinyin_initials"),
                CodePoint("name"),
                F("id"),
                name="people_person_initials_cp",
                include=["org", "merged_into", "is_shielded"],
            ),
            # Initials search within a small scope: the planner probes each organisation of
            # the scope instead of walking every match of the prefix.
            models.Index(
                F("org"),
                CodePoint("name_pinyin_initials"),
                name="people_person_org_initials_cp",
            ),
            models.Index(fields=["id_last4"], name="people_person_id_last4"),
            models.Index(fields=["phone_last4"], name="people_person_phone_last4"),
            models.Index(fields=["name", "birth_date"], name="people_person_name_birth"),
        ]

    def __str__(self) -> str:
        # The audit trail and admin see this: never the full name of a shielded person.
        from warmhome.core.masking import mask_name

        if self.is_shielded:
            return f"{SHIELDED_NAME_STORED}#{self.pk}"
        return f"{mask_name(self.name)}#{self.pk}"


class PersonRelatedQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "person__org__path"


class HouseholdMemberQuerySet(ScopedQuerySet[Any]):
    org_path_lookup = "household__org__path"


class PersonRelatedManager(OrgScopedManager.from_queryset(PersonRelatedQuerySet)):  # type: ignore[misc]
    pass


class HouseholdMemberManager(OrgScopedManager.from_queryset(HouseholdMemberQuerySet)):  # type: ignore[misc]
    pass


class Household(OrgScopedModel):
    address = EncryptedTextField(_("家庭住址"), blank=True)
    head = models.ForeignKey(
        Person,
        verbose_name=_("户主"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_households",
    )

    audit_exclude = ("address",)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("家庭户")
        verbose_name_plural = _("家庭户")

    def __str__(self) -> str:
        return f"{_('家庭户')}#{self.pk}"


class Relationship(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("儿媳/女婿")
    OTHER = "other", _("其他")


class HouseholdMember(AuditedModel, TimeStampedModel):
    household = models.ForeignKey(
        Household, verbose_name=_("家庭户"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("成员"), on_delete=models.PROTECT, related_name="memberships"
    )
    relationship = models.CharField(
        _("与户主关系"), max_length=20, choices=Relationship.choices, default=Relationship.OTHER
    )

    objects: ClassVar[HouseholdMemberManager] = HouseholdMemberManager()

    class Meta:
        ordering = ["household", "pk"]
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"],
                name="people_member_once_per_household",
                violation_error_message=_("此人已是该家庭户的成员。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.household}/{self.person}"


class LegalBasis(models.TextChoices):
    STATUTORY_DUTY = "statutory_duty", _("履行法定职责")
    CONSENT = "consent", _("个人同意")
    SEPARATE_CONSENT = "separate_consent", _("单独同意")


class ConsentChannel(models.TextChoices):
    PAPER = "paper", _("纸质签字")
    ONLINE = "online", _("线上勾选")
    ORAL = "oral", _("口头（有记录）")
    OTHER = "other", _("其他")


class Consent(AuditedModel, TimeStampedModel):
    """The legal basis of one processing purpose for one person, and its consent if any."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="consents"
    )
    purpose = models.CharField(_("处理目的"), max_length=100)
    legal_basis = models.CharField(_("法律依据"), max_length=20, choices=LegalBasis.choices)
    version = models.CharField(_("告知同意书版本"), max_length=20, blank=True)
    given_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    channel = models.CharField(
        _("同意方式"), max_length=20, choices=ConsentChannel.choices, blank=True
    )
    guardian = models.ForeignKey(
        Person,
        verbose_name=_("监护人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="guarded_consents",
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects: ClassVar[PersonRelatedManager] = PersonRelatedManager()

    class Meta:
        ordering = ["-given_at", "pk"]
        verbose_name = _("个人信息处理依据")
        verbose_name_plural = _("个人信息处理依据")

    def __str__(self) -> str:
        return f"{self.person}:{self.purpose}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
