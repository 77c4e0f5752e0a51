"""Demo data of opinions (synthetic, seeded: every load is the same).

A year of opinions over the demo tree's communities, made by recombining the shipped training
texts with the openings and closings people use; one street's domestic-violence opinions double
in the last month (so the rise shows), three of them are handed on, and last quarter's
analysis report is issued. The representative demo login (``representative``) reports from
解放桥社区.
Runs once, after the organisations and their demo users exist; skips when opinions exist.
"""

import datetime
import random

from django.utils import timezone

from warmhome.accounts.models import Role, User
from warmhome.accounts.services import post_create, user_create
from warmhome.opinions import services, services_work, training
from warmhome.opinions.models import Opinion
from warmhome.opinions.selectors import Period
from warmhome.opinions.sources import all_channels
from warmhome.orgs.demo import DEMO_PASSWORD
from warmhome.orgs.models import OrgKind, OrgUnit

_SEED = 11
DISTRICT_CODE = "370102000000"
STREET_CODE = "370102001000"
COMMUNITY_CODE = "370102001002"
PER_MONTH = 60
_OPENINGS = ("", "", "我想反映一下，", "社区居民反映：", "走访中了解到，", "您好，")
_CLOSINGS = ("", "", "希望尽快解决。", "谢谢！", "请妇联帮忙协调。")


def _representative(community: OrgUnit) -> User | None:
    user = User.objects.filter(username="representative").first()
    role = Role.objects.filter(code="representative").first()
    if user is None and role is not None:
        user = user_create(
            actor=None,
            username="representative",
            display_name="李秀兰",
            initial_password=DEMO_PASSWORD,
        )
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        post_create(actor=None, user=user, org=community, role=role)
    return user


def _when(rng: random.Random, period: Period) -> datetime.datetime:
    start, end = period.bounds()
    seconds = int((end - start).total_seconds())
    return start + datetime.timedelta(seconds=rng.randrange(seconds))


#: a few finer headings, for the sub-topic page and the classification forms of the demo
_SUBTOPICS = {
    "MARRIAGE": ("抚养权", "彩礼纠纷", "赡养老人"),
    "EMPLOY": ("技能培训", "返乡创业"),
    "CHILD": ("留守儿童", "家庭教育指导"),
}


def opinions_demo_load() -> bool:
    """Create a year of demo opinions once; returns whether anything was made."""
    if Opinion.objects.exists():
        return False
    community = OrgUnit.objects.filter(code=COMMUNITY_CODE).first()
    street = OrgUnit.objects.filter(code=STREET_CODE).first()
    if community is None or street is None:
        return False
    samples = training.load_shipped()
    if not samples:
        return False
    if training.active_model() is None:
        services.model_version_train(actor=None)
    for topic, names in _SUBTOPICS.items():
        for name in names:
            services.subtopic_save(actor=None, topic=topic, name=name)
    representative = _representative(community)
    communities = list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY, is_active=True))
    channels = [channel.key for channel in all_channels() if channel.key != "batch_import"]
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    today = timezone.localdate()
    this_month = Period.month(today.year, today.month)
    periods = [this_month]
    for _index in range(11):
        periods.append(periods[-1].previous())
    dv = [sample for sample in samples if sample.topic == "DV"]
    for period in reversed(periods):
        for _number in range(PER_MONTH):
            sample = rng.choice(samples)
            text = f"{rng.choice(_OPENINGS)}{sample.text}{rng.choice(_CLOSINGS)}"
            channel = rng.choice(channels)
            duty = channel in {"womens_rep", "executive_member", "npc_deputy", "cppcc_member"}
            services.opinion_submit(
                actor=None,
                channel=channel,
                text=text,
                org=rng.choice(communities),
                submitter=representative if duty else None,
                anonymous=not duty and rng.random() < 0.5,
                occurred_at=min(_when(rng, period), timezone.now()),
            )
    raised = [
        services.opinion_submit(
            actor=None,
            channel="visit",
            text=rng.choice(dv).text,
            org=community,
            occurred_at=min(_when(rng, this_month.previous()), timezone.now()),
        )
        for _number in range(12 if dv else 0)
    ]
    _hand_on(raised[:3])
    _issue_last_quarter(street, today)
    return True


def _hand_on(opinions: list[Opinion]) -> None:
    """Three opinions handed to the community cadre; the first one answered."""
    cadre = User.objects.filter(username="community_cadre").first()
    street_cadre = User.objects.filter(username="street_cadre").first()
    if cadre is None or street_cadre is None:
        return
    for number, opinion in enumerate(opinions):
        followup = services_work.followup_assign(
            actor=street_cadre,
            opinion=opinion,
            assignee=cadre,
            request="请入户了解情况，联系反家暴工作站跟进。",
        )
        if number == 0:
            services_work.followup_respond(
                actor=cadre,
                followup=followup,
                outcome="已入户走访，转介反家暴工作站，协助申请人身安全保护令。",
                version=followup.version,
            )


def _issue_last_quarter(street: OrgUnit, today: datetime.date) -> None:
    district = OrgUnit.objects.filter(code=DISTRICT_CODE).first()
    staff = User.objects.filter(username="district_staff_rights").first()
    if district is None or staff is None:
        return
    quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1).previous()
    report = services_work.report_create(
        actor=None, org=district, period="quarter", year=quarter.year, number=quarter.number
    )
    services_work.report_edit(
        actor=None,
        report=report,
        problems="婚姻家庭纠纷和家庭暴力类诉求占比较高，部分街道反映集中。\n就业创业类诉求以宝妈灵活就业为主。",
        suggestions="一、加强反家暴工作站与派出所、法院的联动。\n二、开设家政、育婴、电商等技能培训班。\n三、推动社区四点半课堂全覆盖。",
    )
    services_work.report_issue(actor=staff, report=report)
