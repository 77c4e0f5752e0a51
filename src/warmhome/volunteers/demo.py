"""Synthetic volunteers, teams and service hours for the demo (seeded: every load is the same).

Runs after the persons: about one adult woman in five becomes a volunteer, each street gets a
巾帼志愿者服务队 and a 反家暴志愿者队伍, and each volunteer gets a few approved records and one
record waiting for approval. It adds nothing when volunteers already exist.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.people.models import Person
from warmhome.volunteers import services, services_certificates, services_hours
from warmhome.volunteers.models import Availability, ServiceCategory, TeamKind, Volunteer

_SEED = 2026
_SKILLS = ["法律", "心理咨询", "医疗护理", "教育辅导", "文艺", "摄影", "家政", "电脑", "手工"]
_ACTIVITIES = [
    ("普法宣传进社区", "普法宣传"),
    ("困难家庭走访", "扶贫帮困"),
    ("婚姻家庭法律咨询", "法律咨询"),
    ("留守儿童心灵陪伴", "心灵关怀"),
    ("社区环境清洁", "文体环保"),
]


@transaction.atomic
def volunteers_demo_load() -> int:
    if Volunteer.objects.exists():
        return 0
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    categories = {category.name: category for category in ServiceCategory.objects.all()}
    kinds = {kind.code: kind for kind in TeamKind.objects.all()}
    today = timezone.localdate()
    adults = [
        person
        for person in Person.objects.filter(sex="female", is_shielded=False).select_related("org")
        if person.birth_date and (today - person.birth_date).days > 25 * 365
    ]
    chosen = adults[:: max(1, len(adults) // 60)][:60] if adults else []
    volunteers = []
    for person in chosen:
        volunteers.append(
            services.volunteer_register(
                actor=None,
                person=person,
                skills="、".join(rng.sample(_SKILLS, k=rng.randint(1, 2))),
                categories=rng.sample(list(categories.values()), k=min(2, len(categories))),
                availability=rng.choice(Availability.values),
                service_areas=[person.org],
                joined_on=today - datetime.timedelta(days=rng.randint(60, 900)),
            )
        )
    for street in OrgUnit.objects.filter(kind=OrgKind.STREET, is_active=True):
        members = [v for v in volunteers if v.org.path.startswith(street.path)]
        for code, name in (("women", "巾帼志愿者服务队"), ("anti_dv", "反家暴志愿者队伍")):
            if code not in kinds:
                continue
            team = services.team_create(
                actor=None, org=street, name=f"{street.name}{name}", kind=kinds[code]
            )
            for volunteer in members[: rng.randint(3, 10)]:
                services.team_member_add(actor=None, team=team, volunteer=volunteer)
    now = timezone.now()
    for volunteer in volunteers:
        for index in range(rng.randint(1, 8)):
            title, category_name = rng.choice(_ACTIVITIES)
            start = (now - datetime.timedelta(days=7 + index * 23 + rng.randint(0, 10))).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            end = start + datetime.timedelta(hours=rng.choice([1, 2, 3, 4]), minutes=15)
            services_hours.service_credit(
                actor=None,
                volunteer=volunteer,
                org=volunteer.org,
                activity_ref=f"demo:{volunteer.pk}:{index}",
                activity_title=title,
                started_at=start,
                ended_at=end,
                category=categories.get(category_name),
            )
        start = (now - datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0)
        services_hours.service_record_enter(
            actor=None,
            volunteer=volunteer,
            org=volunteer.org,
            activity_title="敬老院陪伴",
            started_at=start,
            ended_at=start + datetime.timedelta(hours=2),
            hours=Decimal("2"),
            content="陪伴老人聊天、读报",
            category=categories.get("心灵关怀"),
        )
    _demo_login_volunteer(volunteers)
    return len(volunteers)


def _demo_login_volunteer(volunteers: list[Volunteer]) -> None:
    """Give the demo login "volunteer" (巾帼志愿者) a profile and a certificate to look at."""
    from warmhome.accounts.models import User

    login = User.objects.filter(username="volunteer").first()
    cadre = User.objects.filter(username="community_cadre").first()
    if login is None or not volunteers:
        return
    post = login.current_posts().first()
    place = post.org.path if post is not None else ""
    mine = next((v for v in volunteers if v.org.path.startswith(place)), volunteers[0])
    mine.user = login
    mine.save(update_fields=["user"])
    if cadre is not None and cadre.has_action("volunteers.certify", mine.org):
        services_certificates.volunteer_certificate_issue(
            actor=cadre,
            volunteer=mine,
            org=mine.org,
            signers=services_certificates.CertificateSigners("王主任", "李干事", "0531-86000000"),
        )
