"""Demo data of assistance and the relief fund (synthetic, seeded: every load is the same).

A fund at the district with this year's budget and a share allocated to 解放路街道; in 解放桥社区
a few single mothers and children in hardship with assistance plans, one red household, and
relief applications at each stage (one paid, one urgent paid awaiting ratification, one waiting
for the district meeting, one just filed). Runs once, after the organisations, their demo users
and the person registry exist; skips when a fund exists already.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from faker import Faker

from warmhome.accounts.models import User
from warmhome.assistance import services, services_fund, services_levels
from warmhome.assistance.models import ReliefApplication, ReliefFund
from warmhome.core.identifiers import fake_citizen_id, fake_mobile
from warmhome.orgs.models import OrgUnit
from warmhome.people import services as people_services
from warmhome.people.models import Category, Person, Relationship

_SEED = 6
DISTRICT_CODE = "370102000000"
STREET_CODE = "370102001000"
COMMUNITY_CODE = "370102001002"


def _demo_user(code: str) -> User | None:
    return User.objects.filter(username=code).first()


def _persons(community: OrgUnit, rng: random.Random) -> list[Person]:
    fake = Faker("zh_CN")
    fake.seed_instance(_SEED)
    categories = {category.code: category for category in Category.objects.all()}
    today = timezone.localdate()
    persons = []
    for number, code in enumerate(
        ["single_mother_hardship", "single_mother_hardship", "sick_disabled_woman", "elderly_woman"]
    ):
        birth = today - datetime.timedelta(days=rng.randint(28 * 365, 70 * 365))
        result = people_services.person_create(
            actor=None,
            org=community,
            name=fake.name_female(),
            sex="female",
            citizen_id=fake_citizen_id(birth_date=birth, sex="female", rng=rng),
            phone=fake_mobile(rng=rng),
            residence_address=f"{community.name}{fake.street_name()}{number + 1}号",
            categories=[categories[code]] if code in categories else None,
        )
        persons.append(result.person)
    return persons


@transaction.atomic
def assistance_demo_load() -> bool:
    """Create the demo fund, plans and applications once; returns whether anything was made."""
    if ReliefFund.objects.exists():
        return False
    district = OrgUnit.objects.filter(code=DISTRICT_CODE).first()
    street = OrgUnit.objects.filter(code=STREET_CODE).first()
    community = OrgUnit.objects.filter(code=COMMUNITY_CODE).first()
    rights = _demo_user("district_staff_rights")
    street_cadre = _demo_user("street_cadre")
    cadre = _demo_user("community_cadre")
    finance = _demo_user("finance")
    if district is None or street is None or community is None:
        return False
    if rights is None or street_cadre is None or cadre is None or finance is None:
        return False
    rng = random.Random(_SEED)  # noqa: S311  (synthetic demo data, not a secret)
    year = timezone.localdate().year
    fund = services_fund.fund_create(
        actor=rights,
        org=district,
        name="历下区妇女儿童维权解困救助金",
        rules_reference="《历下区妇女儿童维权解困救助金使用管理办法（试行）》",
    )
    budget = services_fund.budget_grant(
        actor=rights, fund=fund, year=year, amount="200000.00", decision_ref="历妇发〔演示〕1号"
    )
    services_fund.budget_transfer(
        actor=rights,
        source=budget,
        target_org=street,
        amount="30000.00",
        decision_ref="历妇发〔演示〕2号",
        note="下达解放路街道",
    )
    mother, second_mother, sick, elderly = _persons(community, rng)
    household = people_services.household_create(
        actor=None, org=community, address=mother.residence_address, head=mother
    )
    child = people_services.person_create(
        actor=None,
        org=community,
        name=f"{mother.name[0]}小雨",
        sex="female",
        citizen_id=fake_citizen_id(
            birth_date=timezone.localdate() - datetime.timedelta(days=9 * 365),
            sex="female",
            rng=rng,
        ),
    ).person
    people_services.household_member_add(
        actor=None, household=household, person=child, relationship=Relationship.CHILD
    )
    for person in (mother, second_mother, sick, elderly):
        category = person.categories.first()
        if category is None:
            continue
        plan = services.plan_open(
            actor=cadre,
            person=person,
            category=category,
            helper=cadre,
            needs="生活困难，需定期走访",
        )
        services.followup_record(
            actor=cadre,
            plan=plan,
            happened_on=timezone.localdate(),
            kind="visit",
            findings="家中情况稳定，孩子按时上学",
            help_kind="goods",
            help_amount="200.00",
            help_detail="米面油",
        )
    services_levels.household_level_set(
        actor=cadre, household=household, level="red", reason="演示：前夫多次上门威胁"
    )

    paid = services_fund.application_file(
        actor=cadre,
        fund=fund,
        person=mother,
        household=household,
        hardship="schooling",
        description="女儿就学费用困难",
        amount_requested="3000.00",
    )
    _through_district(paid, cadre, street_cadre, rights, "2500.00")
    services_fund.application_disburse(
        actor=finance,
        application=paid,
        method="transfer",
        voucher_number="PZ-演示-001",
        recipient_confirmed=True,
        confirmation_note="本人签字确认",
    )
    urgent = services_fund.application_file(
        actor=cadre,
        fund=fund,
        person=sick,
        hardship="illness",
        description="突发疾病住院，急需垫付押金",
        amount_requested="1500.00",
        is_urgent=True,
    )
    services_fund.application_urgent_pay(
        actor=finance,
        application=urgent,
        amount="1500.00",
        method="cash",
        voucher_number="XJ-演示-001",
    )
    waiting = services_fund.application_file(
        actor=cadre,
        fund=fund,
        person=second_mother,
        hardship="living",
        description="失业后生活困难",
        amount_requested="2000.00",
    )
    services_fund.application_transition(
        actor=cadre, application=waiting, transition="community_submit"
    )
    services_fund.application_transition(
        actor=street_cadre, application=waiting, transition="street_forward"
    )
    services_fund.application_file(
        actor=cadre,
        fund=fund,
        person=elderly,
        hardship="illness",
        description="慢性病用药负担重",
        amount_requested="800.00",
    )
    return True


def _through_district(
    application: ReliefApplication, cadre: User, street_cadre: User, rights: User, amount: str
) -> None:
    services_fund.application_transition(
        actor=cadre, application=application, transition="community_submit"
    )
    services_fund.application_transition(
        actor=street_cadre, application=application, transition="street_forward"
    )
    services_fund.application_approve(
        actor=rights,
        application=application,
        amount_approved=amount,
        meeting_ref="主席办公会〔演示〕1号",
        attendees="主席、副主席、权益部部长",
        decision="同意救助",
    )
