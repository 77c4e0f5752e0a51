"""Helpers of the help-request tests: a volunteer lawyer of a legal team."""

from typing import Any

from tests.factories import volunteer
from warmhome.orgs.models import OrgUnit


def legal_volunteer(unit: OrgUnit) -> Any:
    """A volunteer who is a member of a legal team (法律服务志愿队) of ``unit``."""
    from warmhome.volunteers.models import Team, TeamKind
    from warmhome.volunteers.services import team_create, team_member_add

    team = Team.objects.filter(org=unit, kind__code="legal").first() or team_create(
        actor=None,
        org=unit,
        name=f"{unit.name}法律服务志愿队",
        kind=TeamKind.objects.get(code="legal"),
    )
    lawyer = volunteer(unit)
    team_member_add(actor=None, team=team, volunteer=lawyer)
    return lawyer
