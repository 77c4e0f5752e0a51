"""Factories shared by every test module, and the registry the scope-matrix test draws from.

Each org-owned model registers one function ``make(org) -> instance``; the scope matrix uses it to
put a record in street B and check who can see it. A model without one fails the matrix.
"""

import functools
import random
from collections.abc import Callable
from typing import Any

import factory
from django.db import models
from faker import Faker

from warmhome.accounts.models import Post, Role, User
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.services import orgunit_create

TEST_PASSWORD = "Warm-home-2026"

_makers: dict[type[models.Model], Callable[[OrgUnit], models.Model]] = {}


def makes(model: type[models.Model]) -> Callable[[Callable[[OrgUnit], Any]], Callable]:
    """Register the maker of ``model`` records for the scope matrix."""

    def register(maker: Callable[[OrgUnit], Any]) -> Callable[[OrgUnit], Any]:
        _makers[model] = maker
        return maker

    return register


def maker_for(model: type[models.Model]) -> Callable[[OrgUnit], models.Model] | None:
    return _makers.get(model)


def maker_for_route(route: Any) -> Callable[[OrgUnit], models.Model] | None:
    """The maker for a scoped view's records (``tests.scope_matrix.RouteView``): an import view
    shows only the batches of its own roster, so they are made with its ``spec_key``."""
    maker = maker_for(route.scoped_model)
    bound = getattr(route.callback, "view_initkwargs", {})
    spec_key = bound.get("spec_key") or getattr(route.view_class, "spec_key", None)
    if maker is not None and spec_key:
        return functools.partial(maker, spec_key=spec_key)
    return maker


#: Random test names take a compound surname, which no test's fixed name has: a fixed name that a
#: test checks to be absent from a page can never be some random user's or person's name too
#: (a random persona once was 王芳, and a search test failed in CI).
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "公孙",
)
_faker = Faker("zh_CN")


def random_name(*, female: bool = True) -> str:
    """A synthetic Chinese name that no fixed test name can equal or contain."""
    given = _faker.first_name_female() if female else _faker.first_name()
    return random.choice(_COMPOUND_SURNAMES) + given  # noqa: S311  (test data, not secrets)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyFunction(lambda: random_name(female=random.random() < 0.5))  # noqa: S311
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805  (factory_boy passes the built object, not the factory)
        if create:
            obj.save()


def org(parent: OrgUnit | None, kind: str, name: str, code: str = "") -> OrgUnit:
    return orgunit_create(actor=None, parent=parent, kind=kind, name=name, code=code)


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def user_with_post(username: str, unit: OrgUnit, role_code: str, **user_fields: Any) -> User:
    user = UserFactory(username=username, **user_fields)
    Post.objects.create(user=user, org=unit, role=role(role_code))
    user.forget_grants()
    return user


@makes(OrgUnit)
def make_orgunit(parent: OrgUnit) -> OrgUnit:
    child_kind = {
        OrgKind.DISTRICT: OrgKind.STREET,
        OrgKind.STREET: OrgKind.COMMUNITY,
        OrgKind.COMMUNITY: OrgKind.GRID,
    }[OrgKind(parent.kind)]
    return org(parent, child_kind, f"{parent.name}下属{OrgUnit.objects.count()}")


@makes(Post)
def make_post(unit: OrgUnit) -> Post:
    user = UserFactory()
    return Post.objects.create(user=user, org=unit, role=role("community_cadre"))


from warmhome.core.audit.chain import append as audit_append  # noqa: E402
from warmhome.core.models import AuditEntry  # noqa: E402


@makes(AuditEntry)
def make_auditentry(unit: OrgUnit) -> AuditEntry:
    return audit_append(
        kind=AuditEntry.Kind.SECURITY,
        event="access_denied",
        outcome="failure",
        org_path=unit.path,
        detail={"unit": unit.name},
    )


from django.contrib.contenttypes.models import ContentType  # noqa: E402

from warmhome.core.models import TransitionLog  # noqa: E402


@makes(TransitionLog)
def make_transitionlog(unit: OrgUnit) -> TransitionLog:
    return TransitionLog.objects.create(
        org=unit,
        content_type=ContentType.objects.get_for_model(OrgUnit),
        object_id=unit.pk,
        workflow="scope_matrix",
        transition="approve",
        from_state="submitted",
        to_state="approved",
    )


import datetime  # noqa: E402

from warmhome.certificates.models import Certificate  # noqa: E402
from warmhome.certificates.signing import sign as certificate_sign  # noqa: E402


@makes(Certificate)
def make_certificate(unit: OrgUnit) -> Certificate:
    """A signed certificate issued by ``unit`` (bypasses the issuing permission on purpose)."""
    from warmhome.certificates.services import certificate_content

    certificate = Certificate(
        org=unit,
        number=f"WH2026-{Certificate.objects.count() + 1:08X}",
        kind="五好家庭",
        holder_display="张*梅",
        issuer=unit.name,
        issued_on=datetime.date(2026, 3, 8),
        facts=[["荣誉年度", "2025"]],
    )
    certificate.signature = certificate_sign(certificate_content(certificate))
    certificate.save()
    return certificate


# --- people (person registry) -----------------------------------------------------------------

from warmhome.core.identifiers import fake_citizen_id, fake_mobile  # noqa: E402
from warmhome.people.models import Consent, Household, HouseholdMember, Person  # noqa: E402

_issued_citizen_ids: set[str] = set()


def _unused_citizen_id() -> str:
    # Random IDs collide now and then (about 1 % of the scope matrix's runs): never twice here.
    while (citizen_id := fake_citizen_id(sex="female")) in _issued_citizen_ids:
        pass
    _issued_citizen_ids.add(citizen_id)
    return citizen_id


def person(unit: OrgUnit, name: str = "", **values: Any) -> Person:
    """A person in ``unit`` with a valid synthetic ID and mobile (override any field)."""
    from warmhome.people.services import person_create

    values.setdefault("citizen_id", _unused_citizen_id())
    values.setdefault("phone", fake_mobile())
    values.setdefault("sex", "female")
    return person_create(actor=None, org=unit, name=name or random_name(), **values).person


@makes(Person)
def make_person(unit: OrgUnit) -> Person:
    return person(unit)


@makes(Household)
def make_household(unit: OrgUnit) -> Household:
    from warmhome.people.services import household_create

    return household_create(actor=None, org=unit, address="历下区某路1号", head=person(unit))


@makes(HouseholdMember)
def make_householdmember(unit: OrgUnit) -> HouseholdMember:
    return make_household(unit).members.get()


@makes(Consent)
def make_consent(unit: OrgUnit) -> Consent:
    from warmhome.people.services import consent_record

    return consent_record(
        actor=None, person=person(unit), purpose="人员信息库登记", legal_basis="statutory_duty"
    )


from warmhome.core.models import ImportBatch  # noqa: E402


@makes(ImportBatch)
def make_importbatch(unit: OrgUnit, spec_key: str = "orgs.orgunit") -> ImportBatch:
    return ImportBatch.objects.create(
        org=unit,
        owner=UserFactory(),
        spec_key=spec_key,
        file_name="组织.xlsx",
        file_path="imports/missing.xlsx",
        status=ImportBatch.Status.VALIDATED,
    )


from warmhome.core.models import ImportRowResult  # noqa: E402


@makes(ImportRowResult)
def make_importrowresult(unit: OrgUnit) -> ImportRowResult:
    return ImportRowResult.objects.create(
        batch=make_importbatch(unit),
        row_number=2,
        natural_key=unit.code,
        status=ImportRowResult.Status.VALID,
        values={"name": unit.name},
    )


# --- orgs: the facts of a unit (issue 4, part A) ------------------------------------------------
from decimal import Decimal  # noqa: E402

from warmhome.orgs.models import (  # noqa: E402
    MemberRole,
    OrgUnitNameChange,
    StageRecord,
    UnitFunding,
    UnitMember,
)


@makes(StageRecord)
def make_stagerecord(unit: OrgUnit) -> StageRecord:
    return StageRecord.objects.create(
        org=unit, stage="established", reached_on=datetime.date(2025, 3, 1), evidence="选举批复"
    )


@makes(UnitMember)
def make_unitmember(unit: OrgUnit) -> UnitMember:
    return UnitMember.objects.create(org=unit, role=MemberRole.CHAIR, person=person(unit))


@makes(UnitFunding)
def make_unitfunding(unit: OrgUnit) -> UnitFunding:
    return UnitFunding.objects.create(
        org=unit, year=2026, amount=Decimal("5000.00"), source="街道财政拨款"
    )


@makes(OrgUnitNameChange)
def make_orgunitnamechange(unit: OrgUnit) -> OrgUnitNameChange:
    return OrgUnitNameChange.objects.create(
        unit=unit,
        old_name=f"{unit.name}（旧）",
        new_name=unit.name,
        valid_to=datetime.date(2025, 1, 1),
    )


# --- orgs: 两新 organisations and grid leaders (issue 4, part B) ---------------------------------
from warmhome.core.identifiers import fake_credit_code  # noqa: E402
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg  # noqa: E402


def new_org(unit: OrgUnit, name: str = "", **values: Any) -> NewOrg:
    """A 两新 organisation owned by ``unit`` (any kind: the scope matrix puts one in a street),
    eligible for a women's organisation and without one unless told otherwise."""
    values.setdefault("credit_code", fake_credit_code())
    values.setdefault("kind", "enterprise")
    values.setdefault("employees", 80)
    values.setdefault("female_employees", 40)
    return NewOrg.objects.create(
        org=unit, name=name or f"{unit.name}企业{NewOrg.objects.count() + 1}", **values
    )


@makes(NewOrg)
def make_neworg(unit: OrgUnit) -> NewOrg:
    return new_org(unit)


@makes(GridLeader)
def make_gridleader(unit: OrgUnit) -> GridLeader:
    return GridLeader.objects.create(
        org=unit, person=person(unit), started_on=datetime.date(2026, 1, 5)
    )


# --- activities (issue 5, activities engine) ----------------------------------------------------
from warmhome.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    SignUp,
)


def activity(unit: OrgUnit, *, state: str = "published", **values: Any) -> Activity:
    """An activity organised by ``unit`` in ``state`` (set directly: a fixture, not a history),
    starting in half an hour (open for sign-up and check-in), unless told otherwise."""
    from django.utils import timezone

    from warmhome.activities.services import activity_create

    starts = values.pop("starts_at", None) or timezone.now() + datetime.timedelta(minutes=30)
    values.setdefault("ends_at", starts + datetime.timedelta(hours=2))
    code = values.pop("kind_code", "study")
    # get_or_create: transactional tests flush the kinds that the data migration seeded.
    values.setdefault(
        "kind", ActivityKind.objects.get_or_create(code=code, defaults={"name": code})[0]
    )
    values.setdefault("title", f"{unit.name}活动{Activity.objects.count() + 1}")
    values.setdefault("venue", f"{unit.name}妇女之家")
    made = activity_create(actor=None, org=unit, starts_at=starts, **values)
    if state != made.state:
        made.state = state
        made.save(update_fields=["state"])
    return made


@makes(Activity)
def make_activity(unit: OrgUnit) -> Activity:
    return activity(unit)


@makes(ActivityPhoto)
def make_activityphoto(unit: OrgUnit) -> ActivityPhoto:
    made = activity(unit, state="finished")
    return ActivityPhoto.objects.create(
        org=unit, activity=made, image="activities/photos/scope.png", caption="合影"
    )


@makes(SignUp)
def make_signup(unit: OrgUnit) -> SignUp:
    from warmhome.activities.services import signup_create

    return signup_create(actor=None, activity=activity(unit), person=person(unit))


@makes(Attendance)
def make_attendance(unit: OrgUnit) -> Attendance:
    from warmhome.activities.services import attendance_tick

    return attendance_tick(actor=None, signup=make_signup(unit))


# --- volunteers -------------------------------------------------------------------------------

from warmhome.volunteers.models import (  # noqa: E402
    CertificateCorrection,
    ServiceRecord,
    ServiceRecordCorrection,
    Team,
    TeamKind,
    TeamMember,
    Volunteer,
    VolunteerCertificate,
)


def volunteer(unit: OrgUnit, **values: Any) -> Volunteer:
    """A volunteer profile on a new person of ``unit``."""
    from warmhome.volunteers.services import volunteer_register

    values.setdefault("joined_on", datetime.date(2025, 1, 1))
    values.setdefault("guardian_consent", True)  # the synthetic person may be a minor
    return volunteer_register(actor=None, person=person(unit), **values)


def service_record(
    made: Volunteer, start: datetime.datetime | None = None, hours: int = 2, **values: Any
) -> ServiceRecord:
    """An approved record of ``hours`` hours starting at ``start`` (default: 2026-03-01 09:00)."""
    from django.utils import timezone

    from warmhome.volunteers.services_hours import service_credit

    begin = start or timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0))
    values.setdefault("org", made.org)
    values.setdefault("activity_ref", f"test:{begin.isoformat()}")
    values.setdefault("activity_title", "普法宣传进社区")
    return service_credit(
        actor=None,
        volunteer=made,
        started_at=begin,
        ended_at=begin + datetime.timedelta(hours=hours),
        **values,
    )


@makes(Volunteer)
def make_volunteer(unit: OrgUnit) -> Volunteer:
    return volunteer(unit)


@makes(Team)
def make_team(unit: OrgUnit) -> Team:
    from warmhome.volunteers.services import team_create

    return team_create(
        actor=None,
        org=unit,
        name=f"{unit.name}巾帼志愿者服务队{Team.objects.count() + 1}",
        kind=TeamKind.objects.first(),
    )


@makes(TeamMember)
def make_teammember(unit: OrgUnit) -> TeamMember:
    from warmhome.volunteers.services import team_member_add

    return team_member_add(actor=None, team=make_team(unit), volunteer=volunteer(unit))


@makes(ServiceRecord)
def make_servicerecord(unit: OrgUnit) -> ServiceRecord:
    return service_record(volunteer(unit))


@makes(ServiceRecordCorrection)
def make_servicerecordcorrection(unit: OrgUnit) -> ServiceRecordCorrection:
    from warmhome.volunteers.services_hours import service_record_correct

    record = service_record(volunteer(unit), hours=3)
    return service_record_correct(actor=None, record=record, reason="签退时间登记有误", hours=2)


def volunteer_certificate(made: Volunteer, unit: OrgUnit | None = None) -> VolunteerCertificate:
    """A 志愿服务记录证明 for ``made`` (the signed certificate bypasses the issuing permission)."""
    issuer = unit or made.org
    return VolunteerCertificate.objects.create(
        org=issuer,
        volunteer=made,
        certificate=make_certificate(issuer),
        period_end=datetime.date(2026, 3, 31),
        hours=2,
        responsible_person="王主任",
        handler="李干事",
        contact="0531-88888888",
    )


@makes(VolunteerCertificate)
def make_volunteercertificate(unit: OrgUnit) -> VolunteerCertificate:
    return volunteer_certificate(volunteer(unit))


@makes(CertificateCorrection)
def make_certificatecorrection(unit: OrgUnit) -> CertificateCorrection:
    from warmhome.volunteers.services_certificates import certificate_correction_request

    return certificate_correction_request(
        actor=None,
        volunteer_certificate=make_volunteercertificate(unit),
        message="服务时长少计 2 小时",
    )


# --- assistance (plans, household levels, relief fund) ---------------------------------------


from warmhome.assistance.models import (  # noqa: E402
    AssistancePlan,
    Disbursement,
    Evidence,
    FollowUp,
    FundBudget,
    HouseholdLevel,
    LedgerEntry,
    ReliefApplication,
    ReliefFund,
)


@makes(ReliefFund)
def make_relieffund(unit: OrgUnit) -> ReliefFund:
    return ReliefFund.objects.create(org=unit, name=f"救助金{ReliefFund.objects.count() + 1}")


@makes(FundBudget)
def make_fundbudget(unit: OrgUnit) -> FundBudget:
    return FundBudget.objects.create(
        fund=make_relieffund(unit), org=unit, year=2026, amount=Decimal("1000.00")
    )


@makes(LedgerEntry)
def make_ledgerentry(unit: OrgUnit) -> LedgerEntry:
    budget = make_fundbudget(unit)
    return LedgerEntry.objects.create(
        org=unit, budget=budget, kind="grant", amount_delta=budget.amount, decision_ref="1号"
    )


@makes(ReliefApplication)
def make_reliefapplication(unit: OrgUnit) -> ReliefApplication:
    from warmhome.core.workflows.services import workflow_initial

    return ReliefApplication.objects.create(
        org=unit,
        fund=make_relieffund(unit),
        year=2026,
        person=person(unit),
        hardship="illness",
        description="住院费用",
        amount_requested=Decimal("500.00"),
        proposer=UserFactory(),
        **workflow_initial(ReliefApplication),
    )


@makes(Disbursement)
def make_disbursement(unit: OrgUnit) -> Disbursement:
    return Disbursement.objects.create(
        application=make_reliefapplication(unit),
        amount=Decimal("500.00"),
        method="cash",
        voucher_number="PZ-1",
        paid_by=UserFactory(),
        paid_on=datetime.date(2026, 3, 1),
    )


@makes(Evidence)
def make_evidence(unit: OrgUnit) -> Evidence:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = default_storage.save("assistance/evidence/test.pdf", ContentFile(b"%PDF-1.4 test"))
    return Evidence.objects.create(
        application=make_reliefapplication(unit),
        file_name="诊断证明.pdf",
        file_path=stored,
        content_type="application/pdf",
        size=13,
        uploaded_by=UserFactory(),
    )


@makes(AssistancePlan)
def make_assistanceplan(unit: OrgUnit) -> AssistancePlan:
    from warmhome.people.models import Category

    category, _created = Category.objects.get_or_create(
        code="single_mother_hardship", defaults={"name": "单亲特困母亲"}
    )
    return AssistancePlan.objects.create(
        org=unit,
        person=person(unit),
        category=category,
        helper=UserFactory(),
        needs="生活困难",
        opened_on=datetime.date(2026, 1, 5),
        next_followup_on=datetime.date(2026, 2, 5),
    )


@makes(FollowUp)
def make_followup(unit: OrgUnit) -> FollowUp:
    plan = make_assistanceplan(unit)
    return FollowUp.objects.create(
        plan=plan,
        happened_on=datetime.date(2026, 1, 20),
        kind="call",
        findings="情况稳定",
        by=plan.helper,
    )


@makes(HouseholdLevel)
def make_householdlevel(unit: OrgUnit) -> HouseholdLevel:
    return HouseholdLevel.objects.create(
        org=unit,
        household=make_household(unit),
        level="yellow",
        source="assistance.manual",
        reason="生活困难",
    )


from warmhome.volunteers.models import MonthlyHours  # noqa: E402


@makes(MonthlyHours)
def make_monthlyhours(unit: OrgUnit) -> MonthlyHours:
    service_record(volunteer(unit), org=unit)
    return MonthlyHours.objects.get(org=unit)


from warmhome.rights.models import Addendum, BreakGlassAccess, DvCase, RiskAssessment  # noqa: E402


def dv_case(unit: OrgUnit, *, workers: Any = (), submitted: bool = True, **values: Any) -> DvCase:
    """A DV case held by ``unit`` (made as the system), victim shielded, ``workers`` assigned."""
    from warmhome.rights.services import dv_case_open, dv_case_submit

    values.setdefault("abuser_relationship", "spouse")
    values.setdefault("narrative", "受理陈述：多次遭受殴打")
    case = dv_case_open(actor=None, org=unit, victim=person(unit), **values)
    case.case_workers.set(workers)
    if submitted:
        case = dv_case_submit(actor=None, case=case)
    return case


@makes(DvCase)
def make_dvcase(unit: OrgUnit) -> DvCase:
    return dv_case(unit)


@makes(Addendum)
def make_addendum(unit: OrgUnit) -> Addendum:
    return Addendum.objects.create(
        case=dv_case(unit), written_on=datetime.date(2026, 3, 1), text="补充", author=UserFactory()
    )


@makes(RiskAssessment)
def make_riskassessment(unit: OrgUnit) -> RiskAssessment:
    return RiskAssessment.objects.create(
        case=dv_case(unit),
        assessed_on=datetime.date(2026, 3, 1),
        instrument="hits",
        definition_version=1,
        answers={"hurt": 1, "insult": 1, "threaten": 1, "scream": 1},
        score=4,
        band="low",
        assessor=UserFactory(),
    )


@makes(BreakGlassAccess)
def make_breakglassaccess(unit: OrgUnit) -> BreakGlassAccess:
    from django.utils import timezone

    return BreakGlassAccess.objects.create(
        case=dv_case(unit),
        user=UserFactory(),
        reason="紧急情况核实",
        expires_at=timezone.now() + datetime.timedelta(minutes=60),
    )


from warmhome.rights.models import (  # noqa: E402
    HelpRequest,
    LegalConsultation,
    PetitionCategory,
    RequestEscalation,
    RequestReview,
    RequestTransfer,
)


def petition_category(code: str = "family_dispute") -> PetitionCategory:
    """A seeded petition category (the migration seeds the list; a transactional test before
    this one may have emptied the table, so seed again when it is missing)."""
    from warmhome.rights.petition_categories import seed_categories

    found = PetitionCategory.objects.filter(code=code).first()
    if found is None:
        seed_categories(PetitionCategory)
        found = PetitionCategory.objects.get(code=code)
    return found


def help_request(unit: OrgUnit, *, code: str = "family_dispute", **values: Any) -> HelpRequest:
    """A request received by hotline and routed to ``unit`` (a community), made as the system."""
    from warmhome.rights.services_requests import help_request_receive

    values.setdefault("requester_name", "求助人")
    values.setdefault("requester_phone", "13800138000")
    return help_request_receive(
        actor=None,
        channel=values.pop("channel", "hotline"),
        category=petition_category(code),
        content=values.pop("content", "家庭矛盾，请求调解"),
        community=unit,
        **values,
    )


def _community_below(unit: OrgUnit) -> OrgUnit:
    if unit.kind == OrgKind.COMMUNITY:
        return unit
    found = OrgUnit.objects.filter(path__startswith=unit.path, kind=OrgKind.COMMUNITY).first()
    return found or org(unit, OrgKind.COMMUNITY, f"社区{OrgUnit.objects.count()}")


@makes(HelpRequest)
def make_helprequest(unit: OrgUnit) -> HelpRequest:
    made = help_request(_community_below(unit))
    if made.org_id != unit.pk:  # the matrix wants the record in ``unit`` itself
        made.org = unit
        made.save(update_fields=["org"])
    return made


@makes(RequestTransfer)
def make_requesttransfer(unit: OrgUnit) -> RequestTransfer:
    made = make_helprequest(unit)
    return RequestTransfer.objects.create(
        request=made, from_org=unit, to_org=unit, reason="转办测试"
    )


@makes(RequestEscalation)
def make_requestescalation(unit: OrgUnit) -> RequestEscalation:
    made = make_helprequest(unit)
    return RequestEscalation.objects.create(
        request=made,
        from_org=unit,
        to_org=unit,
        stage="acceptance",
        due_on=datetime.date(2026, 3, 1),
    )


@makes(LegalConsultation)
def make_legalconsultation(unit: OrgUnit) -> LegalConsultation:
    return LegalConsultation.objects.create(
        org=unit,
        person=person(unit),
        lawyer=volunteer(unit),
        consulted_on=datetime.date(2026, 3, 1),
        question="离婚财产如何分割",
        advice="建议保留证据并申请法律援助",
    )


# --- rights: the measures taken in a DV case --------------------------------------------------

from warmhome.rights.models import (  # noqa: E402
    CaseClosure,
    CaseFollowUp,
    MandatoryReport,
    ProtectionOrder,
    ProtectionOrderEvent,
    Referral,
    SafetyPlan,
    ShelterStay,
    WarningLetter,
    WarningVisit,
)

_MEASURE_DAY = datetime.date(2026, 3, 2)


@makes(SafetyPlan)
def make_safetyplan(unit: OrgUnit) -> SafetyPlan:
    return SafetyPlan.objects.create(
        case=dv_case(unit), safe_contacts="姐姐", reviewed_on=_MEASURE_DAY, author=UserFactory()
    )


@makes(WarningLetter)
def make_warningletter(unit: OrgUnit) -> WarningLetter:
    return WarningLetter.objects.create(
        case=dv_case(unit),
        number="历公(告)字001号",
        issued_on=_MEASURE_DAY,
        police_station="派出所",
    )


@makes(WarningVisit)
def make_warningvisit(unit: OrgUnit) -> WarningVisit:
    letter = make_warningletter(unit)
    return WarningVisit.objects.create(
        case=letter.case, letter=letter, visited_on=_MEASURE_DAY, visitors="居委会、民警"
    )


@makes(ProtectionOrder)
def make_protectionorder(unit: OrgUnit) -> ProtectionOrder:
    return ProtectionOrder.objects.create(
        case=dv_case(unit),
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
        applied_on=_MEASURE_DAY,
    )


@makes(ProtectionOrderEvent)
def make_protectionorderevent(unit: OrgUnit) -> ProtectionOrderEvent:
    order = make_protectionorder(unit)
    return ProtectionOrderEvent.objects.create(
        case=order.case, order=order, kind="applied", happened_on=_MEASURE_DAY, actor=UserFactory()
    )


@makes(ShelterStay)
def make_shelterstay(unit: OrgUnit) -> ShelterStay:
    return ShelterStay.objects.create(
        case=dv_case(unit),
        place="庇护站",
        from_on=_MEASURE_DAY,
        until_on=_MEASURE_DAY + datetime.timedelta(days=5),
    )


@makes(Referral)
def make_referral(unit: OrgUnit) -> Referral:
    return Referral.objects.create(
        case=dv_case(unit), kind="legal_aid", referred_to="法律援助中心", referred_on=_MEASURE_DAY
    )


@makes(MandatoryReport)
def make_mandatoryreport(unit: OrgUnit) -> MandatoryReport:
    from django.utils import timezone

    return MandatoryReport.objects.create(
        case=dv_case(unit),
        reported_at=timezone.now(),
        police_unit="派出所",
        receipt_number="JB001",
        reporter=UserFactory(),
    )


@makes(CaseFollowUp)
def make_casefollowup(unit: OrgUnit) -> CaseFollowUp:
    return CaseFollowUp.objects.create(
        case=dv_case(unit), followed_on=_MEASURE_DAY, way="phone", author=UserFactory()
    )


@makes(CaseClosure)
def make_caseclosure(unit: OrgUnit) -> CaseClosure:
    return CaseClosure.objects.create(
        case=dv_case(unit), closed_on=_MEASURE_DAY, outcome="stopped", closed_by=UserFactory()
    )


@makes(RequestReview)
def make_requestreview(unit: OrgUnit) -> RequestReview:
    return RequestReview.objects.create(
        org=unit,
        request=help_request(_community_below(unit)),
        level="review",
        requested_on=datetime.date(2026, 3, 1),
        reason="不服答复",
        due_on=datetime.date(2026, 3, 31),
    )


# --- opinions --------------------------------------------------------------------------------


from django.utils import timezone as _timezone  # noqa: E402

from warmhome.core.workflows.services import workflow_initial  # noqa: E402
from warmhome.opinions.models import (  # noqa: E402
    AnalysisReport,
    KeywordRule,
    LabelSource,
    Opinion,
    OpinionAttachment,
    OpinionFollowUp,
    Proposal,
)


def opinion(unit: OrgUnit, text: str = "小区路灯坏了很久没人修", **values: Any) -> Opinion:
    """An opinion stored as intake would store it, without running the classifier."""
    fields: dict[str, Any] = {
        "channel": "visit",
        "occurred_at": _timezone.now(),
        "topic": "COMMUNITY",
        "confidence": 0.9,
        "label_source": LabelSource.MODEL,
    }
    fields.update(values)
    return Opinion.objects.create(org=unit, text=text, **fields)


@makes(Opinion)
def make_opinion(unit: OrgUnit) -> Opinion:
    return opinion(unit)


@makes(OpinionAttachment)
def make_opinionattachment(unit: OrgUnit) -> OpinionAttachment:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    stored = default_storage.save("opinions/test/photo.png", ContentFile(b"\x89PNG\r\n\x1a\n00"))
    return OpinionAttachment.objects.create(
        opinion=opinion(unit),
        file_name="照片.png",
        file_path=stored,
        content_type="image/png",
        size=10,
    )


@makes(KeywordRule)
def make_keywordrule(unit: OrgUnit) -> KeywordRule:
    return KeywordRule.objects.create(org=unit, keywords="路灯、井盖", topic="COMMUNITY")


@makes(OpinionFollowUp)
def make_opinionfollowup(unit: OrgUnit) -> OpinionFollowUp:
    staff = UserFactory()
    return OpinionFollowUp.objects.create(
        org=unit,
        opinion=opinion(unit),
        assignee=staff,
        assigned_by=staff,
        request="请核实并答复",
        **workflow_initial(OpinionFollowUp),
    )


@makes(Proposal)
def make_proposal(unit: OrgUnit) -> Proposal:
    staff = UserFactory()
    proposal = Proposal.objects.create(
        org=unit,
        kind="suggestion",
        title="关于完善社区照明设施的建议",
        body="建议对老旧小区路灯进行排查维修。",
        carrier=staff,
        drafted_by=staff,
        **workflow_initial(Proposal),
    )
    proposal.opinions.set([opinion(unit)])
    return proposal


@makes(AnalysisReport)
def make_analysisreport(unit: OrgUnit) -> AnalysisReport:
    year = _timezone.localdate().year - (1 + AnalysisReport.objects.count())
    return AnalysisReport.objects.create(
        org=unit, period="quarter", year=year, number=1, title=f"{unit.name}{year}年报告"
    )
