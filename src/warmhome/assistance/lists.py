"""The person lists of this module, registered for the shielding test (``people.lists``)."""

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from warmhome.people.lists import register_person_list
from warmhome.people.rendering import render_person


def plan_rows(user: Any) -> Iterable[Any]:
    from warmhome.assistance.models import AssistancePlan

    plans = AssistancePlan.objects.visible_to(user).select_related("person", "person__org")
    return [render_person(plan.person, viewer=user, context="list") for plan in plans[:500]]


def application_rows(user: Any) -> Iterable[Any]:
    from warmhome.assistance.models import ReliefApplication

    applications = ReliefApplication.objects.visible_to(user).select_related(
        "person", "person__org"
    )
    return [render_person(app.person, viewer=user, context="list") for app in applications[:500]]


def public_notice_rows(user: Any) -> Iterable[Any]:
    from warmhome.assistance.selectors import public_notice_applications

    applications = public_notice_applications(user, timezone.localdate().year)
    return [render_person(app.person, viewer=user, context="public") for app in applications]


def fund_use_rows(user: Any) -> Iterable[Any]:
    from warmhome.assistance.selectors import fund_use

    report = fund_use(user, timezone.localdate().year)
    return [
        render_person(entry.application.person, viewer=user, context="export")
        for entry in report.rows
        if entry.application is not None
    ]


def level_rows(user: Any) -> Iterable[Any]:
    from warmhome.assistance.models import HouseholdLevel

    levels = HouseholdLevel.objects.visible_to(user).select_related(
        "household__head", "household__head__org"
    )
    return [
        render_person(row.household.head, viewer=user, context="list")
        for row in levels[:500]
        if row.household.head is not None
    ]


def register_own_lists() -> None:
    register_person_list("assistance.plans", plan_rows)
    register_person_list("assistance.applications", application_rows)
    register_person_list("assistance.public_notice", public_notice_rows)
    register_person_list("assistance.fund_use", fund_use_rows)
    register_person_list("assistance.levels", level_rows)
