"""Writes of the volunteers app: teams, profiles and invitations (hours: ``services_hours``,
certificates: ``services_certificates``)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.notifications.services import notify
from warmhome.orgs.models import OrgUnit
from warmhome.people.models import Person
from warmhome.rules.selectors import policy_value
from warmhome.volunteers.models import (
    Availability,
    ServiceCategory,
    Team,
    TeamKind,
    TeamMember,
    Volunteer,
    VolunteerStatus,
)


def _require(actor: Any, action: str, org: Any) -> None:
    # ``actor=None`` is the system itself (check-out listener, demo loader).
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


def volunteer_lock(volunteer: Volunteer) -> Volunteer:
    """Lock the volunteer's row: her credits and certificate issues happen one at a time."""
    locked: Volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    return locked


# --- teams -----------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: Any,
    org: OrgUnit,
    name: str,
    kind: TeamKind,
    categories: Iterable[ServiceCategory] = (),
    description: str = "",
    founded_on: datetime.date | None = None,
) -> Team:
    _require(actor, "volunteers.change", org)
    if not name.strip():
        raise ValidationError({"name": [_("请填写队伍名称。")]})
    if Team.objects.filter(org=org, name=name.strip(), is_active=True).exists():
        raise ValidationError({"name": [_("本组织已有同名队伍。")]})
    team = Team.objects.create(
        org=org,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        founded_on=founded_on,
    )
    team.categories.set(list(categories))
    return team


@transaction.atomic
def team_update(
    *,
    actor: Any,
    team: Team,
    name: str,
    kind: TeamKind,
    categories: Iterable[ServiceCategory] = (),
    description: str = "",
    founded_on: datetime.date | None = None,
    is_active: bool = True,
) -> Team:
    _require(actor, "volunteers.change", team.org)
    if not name.strip():
        raise ValidationError({"name": [_("请填写队伍名称。")]})
    team.name = name.strip()
    team.kind = kind
    team.description = description.strip()
    team.founded_on = founded_on
    team.is_active = is_active
    team.save()
    team.categories.set(list(categories))
    return team


@transaction.atomic
def team_member_add(
    *,
    actor: Any,
    team: Team,
    volunteer: Volunteer,
    role: str = TeamMember.Role.MEMBER,
    joined_on: datetime.date | None = None,
) -> TeamMember:
    _require(actor, "volunteers.change", team.org)
    _require(actor, "volunteers.view", volunteer.org)
    if volunteer.status == VolunteerStatus.LEFT:
        raise ValidationError(_("该志愿者已退出，不能加入队伍。"))
    if TeamMember.objects.filter(team=team, volunteer=volunteer, left_on__isnull=True).exists():
        raise ValidationError(_("该志愿者已在这支队伍中。"))
    try:
        with transaction.atomic():
            return TeamMember.objects.create(
                team=team,
                volunteer=volunteer,
                role=role,
                joined_on=joined_on or timezone.localdate(),
            )
    except IntegrityError as clash:  # the same volunteer added twice at the same moment
        raise ValidationError(_("该志愿者已在这支队伍中。")) from clash


@transaction.atomic
def team_member_remove(
    *, actor: Any, member: TeamMember, left_on: datetime.date | None = None
) -> TeamMember:
    """Record that a volunteer left a team; the membership stays in the history."""
    _require(actor, "volunteers.change", member.team.org)
    if member.left_on is None:
        member.left_on = left_on or timezone.localdate()
        member.save()
    return member


# --- volunteer profiles ----------------------------------------------------------------------


def _age_on(person: Person, day: datetime.date) -> int | None:
    born = person.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@transaction.atomic
def volunteer_register(
    *,
    actor: Any,
    person: Person,
    org: OrgUnit | None = None,
    skills: str = "",
    categories: Iterable[ServiceCategory] = (),
    availability: str = Availability.ANYTIME,
    service_areas: Iterable[OrgUnit] = (),
    joined_on: datetime.date | None = None,
    guardian_consent: bool = False,
    user: Any = None,
) -> Volunteer:
    """Give ``person`` a volunteer profile registered by ``org`` (default: her own unit)."""
    unit = org or person.org
    _require(actor, "volunteers.change", unit)
    _require(actor, "people.view", person.org)
    day = joined_on or timezone.localdate()
    if person.merged_into_id is not None:
        raise ValidationError(_("该人员记录已合并，请在保留的记录上登记。"))
    age = _age_on(person, day)
    minor = age is not None and age < int(policy_value("volunteer.guardian_consent_age", day))
    if minor and not guardian_consent:
        raise ValidationError(
            {"guardian_consent": [_("未满十八周岁的志愿者须经监护人同意，请确认已取得同意。")]}
        )
    if Volunteer.objects.filter(person=person).exists():
        raise ValidationError(_("此人已登记为志愿者。"))
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                org=unit,
                person=person,
                user=user,
                skills=skills.strip(),
                availability=availability,
                joined_on=day,
            )
    except IntegrityError as clash:
        raise ValidationError(_("此人已登记为志愿者。")) from clash
    volunteer.number = f"ZY{day:%Y}{volunteer.pk:08d}"
    volunteer.save(update_fields=["number"])
    volunteer.categories.set(list(categories))
    volunteer.service_areas.set(list(service_areas))
    return volunteer


@transaction.atomic
def volunteer_update(
    *,
    actor: Any,
    volunteer: Volunteer,
    skills: str = "",
    categories: Iterable[ServiceCategory] = (),
    availability: str = Availability.ANYTIME,
    service_areas: Iterable[OrgUnit] = (),
    status: str = VolunteerStatus.ACTIVE,
    national_number: str = "",
) -> Volunteer:
    _require(actor, "volunteers.change", volunteer.org)
    if status not in VolunteerStatus.values:
        raise ValidationError({"status": [_("状态不正确。")]})
    volunteer.skills = skills.strip()
    volunteer.availability = availability
    volunteer.status = status
    volunteer.national_number = national_number.strip()
    volunteer.save()
    volunteer.categories.set(list(categories))
    volunteer.service_areas.set(list(service_areas))
    return volunteer


@transaction.atomic
def volunteer_link_account(*, actor: Any, volunteer: Volunteer, username: str) -> Volunteer:
    """Link the volunteer's own login (blank: unlink), through which she sees her own page.

    Only an account holding a current post inside the actor's scope may be linked: nobody can
    hand a volunteer's records to an account of another organisation.
    """
    from warmhome.accounts.models import User

    _require(actor, "volunteers.change", volunteer.org)
    name = (username or "").strip()
    if not name:
        volunteer.user = None
        volunteer.save(update_fields=["user", "updated_at"])
        return volunteer
    account = User.objects.filter(username=name, is_active=True).first()
    posts = account.current_posts() if account is not None else None
    allowed = posts is not None and any(
        actor is None or actor.has_action("volunteers.change", post.org) for post in posts
    )
    if account is None or not allowed:
        raise ValidationError({"username": [_("没有找到该账号，或该账号不在您的管理范围内。")]})
    if Volunteer.objects.filter(user=account).exclude(pk=volunteer.pk).exists():
        raise ValidationError({"username": [_("该账号已关联其他志愿者。")]})
    volunteer.user = account
    volunteer.save(update_fields=["user", "updated_at"])
    return volunteer


# --- recruiting ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InviteResult:
    invited: int
    without_account: int


@transaction.atomic
def volunteers_invite(
    *,
    actor: Any,
    volunteers: Sequence[Volunteer],
    subject: str,
    body: str,
    link: str = "",
) -> InviteResult:
    """Invite volunteers to an activity through the outbox (in-app and SMS)."""
    if not volunteers:
        raise ValidationError(_("请至少选择一位志愿者。"))
    for volunteer in volunteers:
        _require(actor, "volunteers.change", volunteer.org)
    if not subject.strip():
        raise ValidationError({"subject": [_("请填写邀请标题。")]})
    users = [volunteer.user for volunteer in volunteers if volunteer.user is not None]
    if users:
        notify(
            recipients=users,
            subject=subject.strip(),
            body=body.strip(),
            link=link,
            channels=("in_app", "sms"),
        )
    return InviteResult(invited=len(users), without_account=len(volunteers) - len(users))
