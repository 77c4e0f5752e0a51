"""Forms of the administration pages: they parse input; the services decide."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.forms.boundfield import BoundWidget
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.accounts.models import Role, User
from warmhome.accounts.services import MANAGE_POSTS
from warmhome.core import actions as action_registry
from warmhome.orgs.models import OrgUnit

#: action prefixes that are not app labels
_GROUP_LABELS = {"audit": _("审计日志")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


# --- users -----------------------------------------------------------------------------------


class UserFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("全部")), ("active", _("启用")), ("disabled", _("已停用"))]

    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)


class UserProfileForm(forms.Form):
    display_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class _PasswordPairMixin:
    """Two password fields that must match; the service applies the password rules."""

    paired_field: str
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        password = cleaned.get(self.paired_field)
        confirm = cleaned.get(f"{self.paired_field}_confirm")
        if password and confirm and password != confirm:
            self.add_error(  # type: ignore[attr-defined]
                f"{self.paired_field}_confirm", _("两次输入的密码不一致。")
            )
        return cleaned


def _password_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserCreateForm(_PasswordPairMixin, UserProfileForm):
    paired_field = "initial_password"
    field_order = ["username", "display_name", "phone", "email"]

    username = forms.CharField(label=_("用户名"), max_length=150)
    initial_password = _password_field(_("初始密码"))
    initial_password_confirm = _password_field(_("再次输入初始密码"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initial_password"].help_text = _(
            "至少 10 个字符，包含大写字母、小写字母、数字、符号中的至少 3 类，不含用户名。"
            "用户首次登录时须修改。"
        )


class UserPasswordResetForm(_PasswordPairMixin, forms.Form):
    paired_field = "new_password"

    new_password = _password_field(_("临时密码"))
    new_password_confirm = _password_field(_("再次输入临时密码"))


# --- roles -----------------------------------------------------------------------------------


class RoleForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=50)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    requires_two_factor = forms.BooleanField(label=_("须双因素认证"), required=False)


class RoleCreateForm(RoleForm):
    field_order = ["code", "name", "admin_duty"]

    code = forms.CharField(
        label=_("代码"),
        max_length=50,
        help_text=_("小写字母开头，只含小写字母、数字和下划线，例如 street_cadre"),
    )
    admin_duty = forms.ChoiceField(
        label=_("管理职责"), choices=Role.AdminDuty.choices, required=False
    )


@dataclass(frozen=True)
class ActionChoice:
    checkbox: BoundWidget
    code: str
    duty_label: str


@dataclass(frozen=True)
class ActionGroup:
    label: str
    choices: list[ActionChoice]


def _group_label(prefix: str) -> str:
    if prefix in _GROUP_LABELS:
        return str(_GROUP_LABELS[prefix])
    try:
        return str(apps.get_app_config(prefix).verbose_name)
    except LookupError:
        return prefix


class RoleActionsForm(forms.Form):
    """The actions a role grants: one checkbox per registered action, grouped by app."""

    actions = forms.MultipleChoiceField(
        label=_("授权动作"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 (narrows the type)
        field.choices = [(action.code, action.label) for action in action_registry.all_actions()]

    def action_groups(self) -> list[ActionGroup]:
        duties = dict(Role.AdminDuty.choices)
        groups: dict[str, list[ActionChoice]] = {}
        for checkbox in self["actions"]:
            code = str(checkbox.data["value"])
            duty = action_registry.get(code).admin_duty
            groups.setdefault(code.split(".")[0], []).append(
                ActionChoice(
                    checkbox=checkbox, code=code, duty_label=str(duties[duty]) if duty else ""
                )
            )
        return [
            ActionGroup(label=_group_label(prefix), choices=choices)
            for prefix, choices in groups.items()
        ]


# --- posts -----------------------------------------------------------------------------------


class PostFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("在任")), ("ended", _("已结束")), ("all", _("全部"))]

    q = forms.CharField(label=_("用户名或姓名"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状态"), choices=STATUS_CHOICES, required=False)


class _UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name or obj.username}（{obj.username}）"


class _OrgChoiceField(forms.ModelChoiceField[OrgUnit]):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return "　" * max(int(obj.depth) - 1, 0) + str(obj.name)


class PostForm(forms.Form):
    user = _UserChoiceField(
        label=_("用户"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        empty_label=_("请选择用户"),
    )
    org = _OrgChoiceField(
        label=_("组织"), queryset=OrgUnit.objects.none(), empty_label=_("请选择组织")
    )
    role = forms.ModelChoiceField(
        label=_("角色"),
        queryset=Role.objects.order_by("admin_duty", "code"),
        empty_label=_("请选择角色"),
    )
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    valid_from = forms.DateField(label=_("任职起"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("任职止"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_field = self.fields["org"]
        assert isinstance(org_field, forms.ModelChoiceField)  # noqa: S101 (narrows the type)
        # Only the organisations where the actor may manage posts can be chosen.
        org_field.queryset = OrgUnit.objects.visible_to(actor, MANAGE_POSTS).active()


class PostEndForm(forms.Form):
    on = forms.DateField(
        label=_("最后任职日"),
        widget=DateInput(),
        help_text=_("选今天或更早，岗位立即停止授权；选以后的日期，到期后停止。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
