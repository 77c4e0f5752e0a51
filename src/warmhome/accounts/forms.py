"""Forms of signing in, changing the password and the second factor."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

# One message for every refusal, so that the page never tells which of the two was wrong or
# whether the account exists or is disabled.
INVALID_LOGIN = _("用户名或密码错误。")


def _text_input(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _password_input(**attrs: Any) -> forms.PasswordInput:
    return forms.PasswordInput(attrs={"class": "form-control", **attrs})


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        widget=_text_input(autofocus=True, autocomplete="username", autocapitalize="none"),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=_password_input(autocomplete="current-password"),
    )

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": INVALID_LOGIN,
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        return forms.ValidationError(INVALID_LOGIN, code="invalid_login")


class PasswordChangeForm(forms.Form):
    """The current password, and the new one twice; the new one must pass every rule."""

    old_password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=_password_input(autocomplete="current-password", autofocus=True),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=_password_input(autocomplete="new-password"),
    )
    new_password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=_password_input(autocomplete="new-password"),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_text_html()
        self.fields["new_password1"].help_text = rules

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError(_("当前密码不正确。"), code="password_incorrect")
        return old_password

    def clean_new_password2(self) -> str:
        password1 = self.cleaned_data.get("new_password1", "")
        password2: str = self.cleaned_data["new_password2"]
        if password1 and password1 != password2:
            raise forms.ValidationError(_("两次输入的新密码不一致。"), code="password_mismatch")
        return password2

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        old_password = cleaned.get("old_password")
        new_password = cleaned.get("new_password1")
        if not new_password or "new_password2" not in cleaned:
            return cleaned
        if old_password and new_password == old_password:
            self.add_error("new_password1", _("新密码不能与当前密码相同。"))
            return cleaned
        try:
            password_validation.validate_password(new_password, self.user)
        except forms.ValidationError as error:
            self.add_error("new_password1", error)
        return cleaned


class TwoFactorTokenForm(forms.Form):
    token = forms.CharField(
        label=_("动态验证码"),
        widget=_text_input(autofocus=True, autocomplete="one-time-code", inputmode="numeric"),
        error_messages={"required": _("请输入验证器应用显示的 6 位数字。")},
    )

    def clean_token(self) -> str:
        # Authenticator apps show the code as "123 456"; people type it that way.
        token = "".join(self.cleaned_data["token"].split())
        if len(token) != 6 or not token.isdigit():
            raise forms.ValidationError(_("验证码应为 6 位数字。"), code="token_format")
        return token


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("恢复码"),
        widget=_text_input(autofocus=True, autocomplete="off", spellcheck="false"),
        error_messages={"required": _("请输入一个恢复码。")},
    )

    def clean_code(self) -> str:
        from warmhome.accounts.services import RECOVERY_CODE_LENGTH, recovery_code_normalise

        code = recovery_code_normalise(self.cleaned_data["code"])
        if len(code) != RECOVERY_CODE_LENGTH:
            raise forms.ValidationError(
                _("恢复码为 %(length)d 位字母和数字（如 abcde-23456）。")
                % {"length": RECOVERY_CODE_LENGTH},
                code="code_format",
            )
        return code
