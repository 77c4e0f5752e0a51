"""Users, roles and posts.

A role grants actions (data, edited by the security administrator); a post puts a user in an
organisation with a role, and grants that role's actions over the organisation's subtree. One
user may hold several posts.
"""

import datetime
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, OrgScopedModel, TimeStampedModel
from warmhome.core.models.base import OrgScopedManager
from warmhome.core.scoping import ScopedQuerySet


class User(AuditedModel, AbstractUser):
    audit_exclude = ("password",)
    # Every sign-in is already a security event; a User update line for it would be noise.
    audit_ignore = ("last_login",)

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    must_change_password = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("管理员创建或重置的账号首次登录时必须修改密码"),
    )
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects: ClassVar[UserManager[Any]] = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    # --- posts and scope ---------------------------------------------------------------------

    def _grants(self) -> list[tuple[str, frozenset[str]]]:
        cached: list[tuple[str, frozenset[str]]] | None = getattr(self, "_grants_cache", None)
        if cached is None:
            cached = [
                (post.org.path, frozenset(post.role.actions))
                for post in Post.objects.current().filter(user=self).select_related("org", "role")
            ]
            self._grants_cache = cached
        return cached

    def forget_grants(self) -> None:
        """Drop the cached grants (after posts or roles change within one request)."""
        self.__dict__.pop("_grants_cache", None)

    def scope_paths(self, action: str) -> list[str]:
        return [path for path, actions in self._grants() if action in actions]

    def has_action(self, action: str, org: Any = None) -> bool:
        """Whether a current post grants ``action`` (over ``org``, when given)."""
        paths = self.scope_paths(action)
        if org is None:
            return bool(paths)
        return any(org.path.startswith(path) for path in paths)

    def current_posts(self) -> "PostQuerySet":
        return Post.objects.current().filter(user=self).select_related("org", "role")


class Role(AuditedModel, TimeStampedModel):
    class AdminDuty(models.TextChoices):
        NONE = "", _("业务角色")
        SYSTEM = "system", _("系统管理员")
        SECURITY = "security", _("安全管理员")
        AUDIT = "audit", _("审计管理员")

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    description = models.TextField(_("说明"), blank=True)
    admin_duty = models.CharField(
        _("管理职责"), max_length=16, choices=AdminDuty.choices, blank=True, default=""
    )
    actions = models.JSONField(_("授权动作"), default=list, blank=True)
    #: the default actions this installation has been given for the role so far: a default
    #: action a new version adds is granted once; one the administrator took away stays away
    offered_actions = models.JSONField(_("已提供的默认动作"), default=list, blank=True)
    requires_two_factor = models.BooleanField(_("须双因素认证"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return self.name


class PostQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None) -> Self:
        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
            is_active=True,
            org__is_active=True,
            user__is_active=True,
        )


class PostManager(OrgScopedManager.from_queryset(PostQuerySet)):  # type: ignore[misc]
    pass


class Post(OrgScopedModel):
    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="posts"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("角色"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    valid_from = models.DateField(_("任职起"), null=True, blank=True)
    valid_to = models.DateField(_("任职止"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects: ClassVar[PostManager] = PostManager()

    class Meta:
        ordering = ["org__path", "user__username"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org", "role"],
                name="accounts_post_unique_user_org_role",
                violation_error_message=_("该用户在此组织已担任此角色。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.org} · {self.role}"


class ApiToken(AuditedModel, TimeStampedModel):
    """A personal API token; only its hash is stored."""

    audit_exclude = ("key_hash",)

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=100)
    key_prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class RecoveryCode(TimeStampedModel):
    """A one-time code that stands in for the authenticator app when the phone is lost; only
    its keyed hash is stored. Issued ten at a time; a new set replaces the old one."""

    user = models.ForeignKey(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def __str__(self) -> str:
        return f"{self.user} · {self.pk}"
