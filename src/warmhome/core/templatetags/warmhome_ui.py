"""Presentation helpers for the Tabler/Bootstrap shell: widget classes, alerts, menu groups.

Only presentation lives here; what a user may see is decided in views and selectors.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms, template
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.safestring import SafeString

register = template.Library()

_ALERT_CLASSES = {
    message_levels.DEBUG: "secondary",
    message_levels.INFO: "info",
    message_levels.SUCCESS: "success",
    message_levels.WARNING: "warning",
    message_levels.ERROR: "danger",
}

#: the deepest indentation the tree lists draw; deeper levels line up with it
MAX_INDENT = 6


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """Whether ``field`` is a single checkbox (drawn with its label after the box)."""
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field: BoundField) -> bool:
    """Whether ``field`` is a list of radio buttons or checkboxes."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def with_ui_classes(field: BoundField) -> SafeString:
    """``field``'s widget with the Bootstrap classes, plus ``is-invalid`` when it has errors."""
    existing = field.field.widget.attrs.get("class", "")
    classes = [existing, _widget_class(field.field.widget)]
    if field.errors:
        classes.append("is-invalid")
    attrs: dict[str, Any] = {"class": " ".join(c for c in classes if c)}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def alert_class(message: Any) -> str:
    """The Bootstrap alert colour for a ``django.contrib.messages`` message."""
    return _ALERT_CLASSES.get(getattr(message, "level", message_levels.INFO), "info")


@register.filter
def menu_groups(entries: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """Menu entries grouped by ``group``, groups in the order of their first entry."""
    groups: dict[str, tuple[Any, list[Any]]] = {}
    for entry in entries:
        key = str(entry.group)
        if key not in groups:
            groups[key] = (entry.group, [])
        groups[key][1].append(entry)
    return [(label, members) for label, members in groups.values()]


@register.simple_tag
def min_depth(units: Sequence[Any]) -> int:
    """The shallowest tree depth among ``units`` (the level a scoped tree list starts at)."""
    return min((unit.depth for unit in units), default=1)


@register.filter
def indent_class(depth: int, base_depth: int) -> str:
    """A CSS class indenting a tree row by its depth below ``base_depth``."""
    level = max(0, min(int(depth) - int(base_depth), MAX_INDENT))
    return f"wh-indent-{level}"


@register.filter
def is_current_section(url: str, path: str) -> bool:
    """Whether the page at ``path`` belongs to the menu entry at ``url``."""
    return bool(url) and str(path).startswith(str(url))


@register.filter
def choice_input(choice: BoundWidget, errors: Any) -> SafeString:
    """One radio button or checkbox of a choice list, with the Bootstrap classes."""
    attrs = dict(choice.data["attrs"])
    classes = [attrs.get("class", ""), "form-check-input", "is-invalid" if errors else ""]
    attrs["class"] = " ".join(c for c in classes if c)
    return BoundWidget(choice.parent_widget, {**choice.data, "attrs": attrs}, choice.renderer).tag()


@register.simple_tag
def site_title() -> str:
    """The site's name from settings.

    Templates use this rather than a ``site_name`` context variable, which Django's auth views
    overwrite with the request's host name.
    """
    return str(settings.WARMHOME_SITE_NAME)
