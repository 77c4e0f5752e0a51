"""The completeness indicators of the organisation network itself: 有阵地、有人员、有经费.

Read through ``orgs.selectors.annotate_completeness`` (venue on the unit, an active chair, funds
of the year), as subqueries: the roll-up counts them in SQL without fetching a row.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from warmhome.orgs.coverage import CompletenessIndicator, register_indicator


def _units_with(fact: str, year: int) -> "QuerySet[Any]":
    from warmhome.orgs.models import OrgUnit
    from warmhome.orgs.selectors import annotate_completeness

    return annotate_completeness(OrgUnit.objects.all(), year).filter(**{fact: True}).values("pk")


def units_with_venue(year: int) -> "QuerySet[Any]":
    return _units_with("has_venue", year)


def units_with_people(year: int) -> "QuerySet[Any]":
    return _units_with("has_people", year)


def units_with_funds(year: int) -> "QuerySet[Any]":
    return _units_with("has_funds", year)


INDICATORS = (
    CompletenessIndicator("venue", _("有阵地"), units_with_venue),
    CompletenessIndicator("people", _("有人员"), units_with_people),
    CompletenessIndicator("funds", _("有经费"), units_with_funds),
)


def register_own_indicators() -> None:
    for indicator in INDICATORS:
        register_indicator(indicator)
