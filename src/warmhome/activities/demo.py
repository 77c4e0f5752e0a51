"""Demo activities: every kind over the demo tree, some with sign-ups and attendance.

Past activities are finished (and some summarised) with attendance checked out, so the
volunteers module credits hours from them; upcoming ones are published and open for sign-up.
Transitions are taken by the district organiser's demo login, so each has its timeline.
"""

import datetime
import random
from typing import Any

from django.utils import timezone

from warmhome.activities import services
from warmhome.activities.models import Activity, ActivityKind, SignUp
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Person

_SEED = 5
_ORGANISER_LOGIN = "district_staff_organisation"

_TITLES = {
    "volunteer_service": ("巾帼志愿者入户关爱行动", "普法宣传进社区", "文体环保清洁家园"),
    "study": ("学习交流：新时代妇女工作",),
    "training": ("妇联执委业务培训",),
    "salon": ("反家暴志愿者沙龙",),
    "family_culture": ("家庭读书分享会", "最美家庭摄影展"),
    "moral_education": ("美德好儿童故事会",),
    "family_education": ("家庭教育进社区讲座",),
    "publicity": ("反家庭暴力法宣传周",),
    "other": ("三八节联谊活动",),
}
_VENUES = ("社区党群服务中心", "妇女之家活动室", "社区文化广场", "街道新时代文明实践站")


def _organiser() -> Any:
    from warmhome.accounts.models import User

    return User.objects.filter(username=_ORGANISER_LOGIN, is_active=True).first()


def _move(actor: Any, activity: Activity, *transitions: str) -> None:
    for name in transitions:
        comment = "天气原因，活动延期" if name == "cancel" else ""
        services.activity_transition(
            actor=actor, activity=activity, transition=name, comment=comment
        )


def _people_of(unit: OrgUnit, rng: random.Random, count: int) -> list[Person]:
    persons = list(Person.objects.current().filter(org__path__startswith=unit.path)[:60])
    rng.shuffle(persons)
    return persons[:count]


def _one(actor: Any, unit: OrgUnit, kind: ActivityKind, rng: random.Random, day: int) -> Activity:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = now + datetime.timedelta(days=day, hours=rng.choice((-3, 0, 2)))
    values: dict[str, Any] = {
        "kind": kind,
        "title": rng.choice(_TITLES.get(kind.code, (kind.name,))),
        "venue": f"{unit.name}{rng.choice(_VENUES)}",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=rng.choice((2, 3))),
        "capacity": rng.choice((0, 20, 30, 50)),
        "audience": "辖区妇女群众及家庭",
        "signup_opens_at": starts - datetime.timedelta(days=20),
        "description": f"由{unit.name}组织的{kind.name}。",
    }
    if kind.code == ActivityKind.SALON:
        values["topic"] = "识别家庭暴力的早期信号"
    return services.activity_create(actor=None, org=unit, **values)


def _fill(actor: Any, activity: Activity, persons: list[Person], past: bool) -> None:
    signup_time = activity.starts_at - datetime.timedelta(days=3)
    for person in persons:
        services.signup_create(actor=None, activity=activity, person=person, now=signup_time)
    if not past:
        return
    _move(actor, activity, "start")
    signups = SignUp.objects.filter(activity=activity, status="confirmed").order_by("pk")
    for index, signup in enumerate(signups):
        if index % 5 == 4:
            continue  # somebody always stays away
        services.attendance_tick(
            actor=None,
            signup=signup,
            checked_in_at=activity.starts_at,
            checked_out_at=activity.ends_at - datetime.timedelta(minutes=30 * (index % 2)),
        )
    _move(actor, activity, "finish")


def activities_demo_load() -> bool:
    """Load demo activities once; returns whether anything was created."""
    if Activity.objects.exists():
        return False
    actor = _organiser()
    if actor is None:
        return False
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    kinds = list(ActivityKind.objects.filter(is_active=True))
    units = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, is_active=True).order_by("path"))
    for index, unit in enumerate(units[:12]):
        for offset, kind in enumerate(kinds[index % 3 :: 3]):
            past = (index + offset) % 2 == 0
            day = -rng.randint(5, 90) if past else rng.randint(3, 30)
            activity = _one(actor, unit, kind, rng, day)
            _move(actor, activity, "publish")
            _fill(actor, activity, _people_of(unit, rng, rng.randint(4, 12)), past)
            if past and offset % 2 == 0:
                services.activity_summary_save(
                    actor=None,
                    activity=activity,
                    summary=f"活动顺利开展，{activity.venue}参与踊跃，群众反响良好。",
                    minutes="与会志愿者交流了入户走访中的经验。" if activity.is_salon else None,
                )
                _move(actor, activity, "summarise")
        if index == 0 and units:
            cancelled = _one(actor, unit, kinds[0], rng, 10)
            _move(actor, cancelled, "publish", "cancel")
    return True
