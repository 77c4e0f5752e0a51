"""Forms of the policy and calendar pages: they parse input; the services decide."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warmhome.rules.models import CalendarDay
from warmhome.rules.policies import BOOL, CHOICE, PolicySpec, parse_value


class DateInput(forms.DateInput):
    """The browser's date picker, which takes and gives ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class PolicyValueForm(forms.Form):
    value = forms.CharField(label=_("取值"), max_length=500)
    valid_from = forms.DateField(label=_("生效日期"), widget=DateInput)
    basis = forms.CharField(
        label=_("依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("法规条文、上级文件或会议决定；请注明 [law] / [practice] / [assumed]。"),
    )

    def __init__(self, *args: Any, spec: PolicySpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec
        if spec.value_type == CHOICE:
            self.fields["value"] = forms.ChoiceField(label=_("取值"), choices=spec.choices)
        elif spec.value_type == BOOL:
            self.fields["value"] = forms.ChoiceField(
                label=_("取值"), choices=(("true", _("是")), ("false", _("否")))
            )
        else:
            unit = f"（{spec.unit}）" if spec.unit else ""
            self.fields["value"].label = f"{_('取值')}{unit}"
            if spec.value_type == "number_list":
                self.fields["value"].help_text = _("以逗号分隔，从小到大，例如 100, 300, 600。")
        self.fields["valid_from"].initial = timezone.localdate()

    def clean_value(self) -> Any:
        try:
            return parse_value(self.spec, self.cleaned_data["value"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["value"]) from None


class CalendarDaysAddForm(forms.Form):
    first = forms.DateField(label=_("开始日期"), widget=DateInput)
    last = forms.DateField(
        label=_("结束日期"),
        widget=DateInput,
        required=False,
        help_text=_("连续多天（如春节假期）填结束日期；只有一天则留空。"),
    )
    kind = forms.ChoiceField(
        label=_("类型"), choices=CalendarDay.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("名称"), max_length=50, help_text=_("例如：春节、国庆节"))

    def __init__(self, *args: Any, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if year is not None and not self.is_bound:
            self.fields["first"].initial = datetime.date(year, 1, 1)
        self.fields["kind"].initial = CalendarDay.Kind.HOLIDAY


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput)
    kind = forms.ChoiceField(
        label=_("类型"), choices=CalendarDay.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("名称"), max_length=50)
