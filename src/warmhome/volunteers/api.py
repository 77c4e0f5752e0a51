"""Volunteers over JSON: list, detail with totals, and the signed-in volunteer's own hours."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from warmhome.api.scoping import scope_exempt, scoped
from warmhome.core.scoping import get_for_user
from warmhome.people.rendering import render_person
from warmhome.volunteers import selectors
from warmhome.volunteers.models import Volunteer, VolunteerStatus
from warmhome.volunteers.workflows import SERVICE_RECORD

router = Router()

MAX_LIMIT = 200


class VolunteerOut(Schema):
    id: int
    number: str
    name: str
    masked_id: str
    org_id: int
    org_name: str
    status: str
    skills: str
    joined_on: datetime.date


class VolunteerPage(Schema):
    items: list[VolunteerOut]
    count: int


class TotalsOut(Schema):
    all_time: Decimal
    this_year: Decimal
    star_level: int
    to_next_star: Decimal | None


class VolunteerDetailOut(VolunteerOut):
    totals: TotalsOut


class RecordOut(Schema):
    id: int
    activity_title: str
    service_date: datetime.date
    started_at: datetime.datetime
    ended_at: datetime.datetime
    hours: Decimal
    content: str
    state: str
    state_label: str
    certifying_org: str


class MyHoursOut(Schema):
    volunteer: VolunteerOut
    totals: TotalsOut
    records: list[RecordOut]


def _out(volunteer: Volunteer, viewer: Any) -> VolunteerOut:
    shown = render_person(volunteer.person, viewer=viewer, context="list")
    return VolunteerOut(
        id=volunteer.pk,
        number=volunteer.number or "",
        name=shown.name,
        masked_id=shown.masked_id,
        org_id=volunteer.org_id,
        org_name=volunteer.org.name,
        status=volunteer.status,
        skills=volunteer.skills,
        joined_on=volunteer.joined_on,
    )


def _totals(volunteer: Volunteer) -> TotalsOut:
    totals = selectors.volunteer_totals(volunteer)
    return TotalsOut(
        all_time=totals.all_time,
        this_year=totals.this_year,
        star_level=totals.star_level,
        to_next_star=totals.to_next_star,
    )


@router.get("/volunteers", response=VolunteerPage, summary="志愿者列表")
@scoped(Volunteer)
def list_volunteers(
    request: HttpRequest, status: str = "", offset: int = 0, limit: int = 50
) -> VolunteerPage:
    volunteers = (
        Volunteer.objects.visible_to(request.user, "volunteers.view")
        .select_related("person", "person__org", "org")
        .order_by("org__path", "pk")
    )
    if status in VolunteerStatus.values:
        volunteers = volunteers.filter(status=status)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    page = list(volunteers[offset : offset + limit])
    return VolunteerPage(
        items=[_out(volunteer, request.user) for volunteer in page], count=volunteers.count()
    )


@router.get("/volunteers/{pk}", response=VolunteerDetailOut, summary="单个志愿者及服务时长")
@scoped(Volunteer)
def get_volunteer(request: HttpRequest, pk: int) -> VolunteerDetailOut:
    volunteer = get_for_user(
        Volunteer.objects.select_related("person", "person__org", "org"),
        request.user,
        pk,
        "volunteers.view",
    )
    return VolunteerDetailOut(**_out(volunteer, request.user).dict(), totals=_totals(volunteer))


@router.get("/me/hours", response={200: MyHoursOut, 404: dict}, summary="我的服务时长")
@scope_exempt("the signed-in volunteer's own profile and records only")
def my_hours(request: HttpRequest) -> Any:
    volunteer = (
        Volunteer.objects.filter(user_id=request.user.pk)
        .select_related("person", "person__org", "org")
        .first()
    )
    if volunteer is None:
        return Status(404, {"detail": _("您的账号没有关联志愿者档案。")})
    records = [
        RecordOut(
            id=record.pk,
            activity_title=record.activity_title,
            service_date=record.service_date,
            started_at=record.started_at,
            ended_at=record.ended_at,
            hours=record.hours,
            content=record.content,
            state=record.state,
            state_label=str(SERVICE_RECORD.state_label(record.state)),
            certifying_org=record.org.name,
        )
        for record in selectors.volunteer_records(volunteer)[:200]
    ]
    return MyHoursOut(
        volunteer=_out(volunteer, request.user), totals=_totals(volunteer), records=records
    )
