"""``{{ share|percent }}`` and ``{{ figures|completeness:"venue" }}`` for the coverage pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def completeness(figures: Any, key: str) -> str:
    return percent(figures.completeness(key))
