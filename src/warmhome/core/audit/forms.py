"""The filter of the audit page (shared by the list and its Excel export)."""

import datetime
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from warmhome.core.models import AuditedModel, AuditEntry

#: the widest date range one search may cover
MAX_RANGE_DAYS = 366 * 3


def audited_model_choices() -> list[tuple[str, Any]]:
    models = [model for model in apps.get_models() if issubclass(model, AuditedModel)]
    choices = [(model._meta.label, str(model._meta.verbose_name)) for model in models]
    return [("", _("全部")), *sorted(choices, key=lambda choice: choice[1])]


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("操作人账号"), max_length=150, required=False)
    model_label = forms.ChoiceField(label=_("数据类型"), required=False)
    object_pk = forms.CharField(label=_("记录编号"), max_length=64, required=False)
    kind = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部")), *AuditEntry.Kind.choices], required=False
    )
    event = forms.CharField(
        label=_("事件"),
        max_length=64,
        required=False,
        help_text=_("事件代码，如 login、export、access_denied"),
        widget=forms.TextInput(attrs={"list": "audit-events"}),
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_label = self.fields["model_label"]
        assert isinstance(model_label, forms.ChoiceField)  # noqa: S101  (declared above)
        model_label.choices = audited_model_choices()
        for field in self.fields.values():
            field.error_messages.setdefault("invalid", _("格式不正确。"))
        self.fields["date_from"].error_messages["invalid"] = _(
            "起始日期格式不正确，应为 年-月-日。"
        )
        self.fields["date_to"].error_messages["invalid"] = _("截止日期格式不正确，应为 年-月-日。")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: datetime.date | None = cleaned.get("date_from")
        end: datetime.date | None = cleaned.get("date_to")
        if start and end:
            if start > end:
                raise forms.ValidationError(
                    _("起始日期 %(start)s 晚于截止日期 %(end)s，请调换或修改。"),
                    params={"start": start, "end": end},
                    code="range",
                )
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(
                    _("查询范围最长 %(days)d 天，请缩小日期范围。"),
                    params={"days": MAX_RANGE_DAYS},
                    code="too_long",
                )
        return cleaned
