"""Demo data of the anti-domestic-violence station (synthetic, seeded: every load is the same).

Three cases in 解放桥社区, handled by the demo case worker (``case_worker``) under the demo
station head (``dv_station_head``), both made by ``orgs.demo`` with the other demo logins:

* a high-risk case with a safety plan, a warning letter and its visit, a legal-aid referral and
  a protection order that expires in ten days (so the to-do shows it);
* a case with a child: the mandatory report, a shelter stay, an urgent order application
  accepted and awaiting the ruling;
* a closed case: counselling with its outcome.

Runs once, after the organisations, their users and the person registry; skips when any case
exists already.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from warmhome.accounts.models import User
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.orgs.models import OrgUnit
from warmhome.people import services as people_services
from warmhome.people.models import Person
from warmhome.rights import services, services_measures, services_orders
from warmhome.rights.models import DvCase

_SEED = 7
COMMUNITY_CODE = "370102001002"
HITS_HIGH = {"hurt": 4, "insult": 4, "threaten": 4, "scream": 3}
HITS_LOW = {"hurt": 1, "insult": 2, "threaten": 1, "scream": 2}


def _person(community: OrgUnit, fake: Faker, rng: random.Random, age: int) -> Person:
    birth = timezone.localdate() - datetime.timedelta(days=age * 365 + rng.randint(0, 300))
    return people_services.person_create(
        actor=None,
        org=community,
        name=fake.name_female(),
        sex="female",
        citizen_id=fake_citizen_id(birth_date=birth, sex="female", rng=rng),
        phone=fake_mobile(rng=rng) if age >= 18 else "",
    ).person


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def rights_demo_load() -> bool:
    """Create the demo cases once; returns whether anything was made."""
    if DvCase.objects.exists():
        return False
    community = OrgUnit.objects.filter(code=COMMUNITY_CODE).first()
    worker = User.objects.filter(username="case_worker").first()
    head = User.objects.filter(username="dv_station_head").first()
    if community is None or worker is None or head is None:
        return False
    fake = Faker("zh_CN")
    fake.seed_instance(_SEED)
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    _high_risk_case(worker, community, fake, rng)
    _case_with_child(worker, community, fake, rng)
    _closed_case(worker, community, fake, rng)
    return True


def _open(worker: User, community: OrgUnit, victim: Person, days: int, **intake: object) -> DvCase:
    case = services.dv_case_open(
        actor=worker,
        org=community,
        victim=victim,
        opened_on=_days_ago(days),
        abuser_relationship="spouse",
        abuser_name="演示施暴人",
        narrative="（演示）丈夫酒后多次殴打，并威胁其不得报警。",
        **intake,  # type: ignore[arg-type]
    )
    return services.dv_case_submit(actor=worker, case=case)


def _high_risk_case(worker: User, community: OrgUnit, fake: Faker, rng: random.Random) -> None:
    case = _open(worker, community, _person(community, fake, rng, 34), 160)
    services.risk_assessment_record(
        actor=worker, case=case, instrument="hits", answers=HITS_HIGH, assessed_on=_days_ago(160)
    )
    services_measures.safety_plan_save(
        actor=worker,
        case=case,
        safe_contacts="（演示）姐姐，电话见纸质档案",
        safe_place="（演示）娘家",
        documents_ready=True,
        escape_route="（演示）从单元后门离开，去社区警务室",
        code_word="（演示）买酱油",
        reviewed_on=_days_ago(150),
    )
    letter = services_measures.warning_letter_record(
        actor=worker,
        case=case,
        number="历公（解）告字〔演示〕001号",
        issued_on=_days_ago(158),
        police_station="解放路派出所",
        facts="（演示）殴打妻子致软组织挫伤。",
    )
    services_measures.warning_visit_record(
        actor=worker,
        letter=letter,
        visited_on=_days_ago(150),
        visitors="社区居委会、解放路派出所民警",
        note="（演示）施暴人表示不再动手。",
    )
    order = services_orders.protection_order_apply(
        actor=worker,
        case=case,
        applicant_kind="federation",
        court="济南市历下区人民法院",
        measures_requested=["forbid_violence", "forbid_contact"],
        applied_on=_days_ago(156),
    )
    services_orders.protection_order_accept(
        actor=worker, order=order, accepted_at=_moment(_days_ago(155), 9)
    )
    services_orders.protection_order_issue(
        actor=worker,
        order=order,
        order_number="（演示）鲁0102民保令1号",
        measures_granted=["forbid_violence", "forbid_contact"],
        valid_from=_days_ago(153),
        valid_until=_days_ago(-10),
    )
    services_measures.referral_record(
        actor=worker,
        case=case,
        kind="legal_aid",
        referred_to="历下区法律援助中心",
        referred_on=_days_ago(150),
    )
    services_measures.case_followup_record(
        actor=worker,
        case=case,
        followed_on=_days_ago(3),
        way="phone",
        note="（演示）情绪稳定，施暴人未再上门。",
        next_on=_days_ago(-4),
    )


def _case_with_child(worker: User, community: OrgUnit, fake: Faker, rng: random.Random) -> None:
    mother = _person(community, fake, rng, 29)
    child = _person(community, fake, rng, 7)
    case = _open(worker, community, mother, 6, children=[child])
    services_measures.mandatory_report_record(
        actor=worker,
        case=case,
        reported_at=_moment(_days_ago(6), 15),
        police_unit="解放路派出所",
        receipt_number="（演示）JB-001",
    )
    services_measures.shelter_admit(
        actor=worker,
        case=case,
        place="（演示）区临时庇护站，地址见纸质档案",
        from_on=_days_ago(5),
        until_on=_days_ago(-5),
        children_count=1,
    )
    order = services_orders.protection_order_apply(
        actor=worker,
        case=case,
        applicant_kind="victim",
        court="济南市历下区人民法院",
        measures_requested=["forbid_violence", "move_out"],
        is_urgent=True,
        applied_on=_days_ago(1),
    )
    services_orders.protection_order_accept(
        actor=worker, order=order, accepted_at=timezone.now() - datetime.timedelta(hours=3)
    )


def _closed_case(worker: User, community: OrgUnit, fake: Faker, rng: random.Random) -> None:
    case = _open(worker, community, _person(community, fake, rng, 45), 90)
    services.risk_assessment_record(
        actor=worker, case=case, instrument="hits", answers=HITS_LOW, assessed_on=_days_ago(90)
    )
    referral = services_measures.referral_record(
        actor=worker,
        case=case,
        kind="counselling",
        referred_to="历下区心理援助热线",
        referred_on=_days_ago(85),
    )
    services_measures.referral_outcome_record(
        actor=worker, referral=referral, outcome="（演示）完成 4 次咨询", outcome_on=_days_ago(40)
    )
    services_measures.dv_case_close(
        actor=worker, case=case, outcome="stopped", closed_on=_days_ago(30), note="（演示）"
    )
