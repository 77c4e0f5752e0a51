import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import (
    person,
    service_record,
    user_with_post,
    volunteer,
    volunteer_certificate,
)
from warmhome.certificates.selectors import Verdict, certificate_verify
from warmhome.core.identifiers import fake_citizen_id
from warmhome.core.workflows.errors import TransitionError, TransitionNotPermittedError
from warmhome.rules.services import policy_set
from warmhome.volunteers import selectors, services, services_certificates, services_hours
from warmhome.volunteers.models import (
    CertificateCorrection,
    ServiceCategory,
    ServiceRecord,
    TeamKind,
    Volunteer,
    VolunteerStatus,
)

pytestmark = pytest.mark.django_db


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, month, day, hour, minute))


# --- profiles and teams ----------------------------------------------------------------------


def test_seeded_lists_hold_the_programme_names():
    assert set(ServiceCategory.objects.values_list("name", flat=True)) >= {
        "扶贫帮困",
        "普法宣传",
        "法律咨询",
        "心灵关怀",
        "文体环保",
    }
    assert {"巾帼志愿者服务队", "反家暴志愿者队伍"} <= set(
        TeamKind.objects.values_list("name", flat=True)
    )


def test_register_numbers_the_volunteer_and_refuses_a_second_profile(
    tree: Tree, personas: Personas
):
    someone = person(tree.community_a1)
    made = services.volunteer_register(
        actor=personas.community_a1_cadre,
        person=someone,
        skills="法律、心理咨询",
        categories=ServiceCategory.objects.filter(code="legal_advice"),
        service_areas=[tree.community_a1],
    )

    assert made.number.startswith("ZY")
    assert made.org == tree.community_a1
    with pytest.raises(ValidationError, match="已登记为志愿者"):
        services.volunteer_register(actor=personas.community_a1_cadre, person=someone)


def test_register_outside_the_scope_is_refused(tree: Tree, personas: Personas):
    with pytest.raises(PermissionDenied):
        services.volunteer_register(actor=personas.street_a_cadre, person=person(tree.community_b1))
    with pytest.raises(PermissionDenied):
        services.volunteer_register(actor=personas.resident, person=person(tree.community_a1))


def test_a_minor_needs_the_guardians_consent(tree: Tree, personas: Personas):
    birth = timezone.localdate() - datetime.timedelta(days=16 * 365)
    minor = person(tree.community_a1, citizen_id=fake_citizen_id(birth_date=birth, sex="female"))

    with pytest.raises(ValidationError, match="监护人同意"):
        services.volunteer_register(actor=personas.community_a1_cadre, person=minor)
    made = services.volunteer_register(
        actor=personas.community_a1_cadre, person=minor, guardian_consent=True
    )
    assert made.pk


def test_team_membership_once_and_history_kept(tree: Tree, personas: Personas):
    team = services.team_create(
        actor=personas.street_a_cadre,
        org=tree.street_a,
        name="解放路巾帼志愿者服务队",
        kind=TeamKind.objects.get(code="women"),
    )
    member = volunteer(tree.community_a1)
    joined = services.team_member_add(actor=personas.street_a_cadre, team=team, volunteer=member)

    with pytest.raises(ValidationError, match="已在这支队伍"):
        services.team_member_add(actor=personas.street_a_cadre, team=team, volunteer=member)
    services.team_member_remove(actor=personas.street_a_cadre, member=joined)
    again = services.team_member_add(actor=personas.street_a_cadre, team=team, volunteer=member)

    assert again.pk != joined.pk
    assert team.members.count() == 2
    with pytest.raises(ValidationError, match="请填写队伍名称"):
        services.team_create(
            actor=personas.street_a_cadre, org=tree.street_a, name=" ", kind=team.kind
        )
    with pytest.raises(PermissionDenied):
        services.team_create(
            actor=personas.street_b_cadre, org=tree.street_a, name="x", kind=team.kind
        )


# --- hours -----------------------------------------------------------------------------------


def test_credit_rounds_down_to_the_policy_step_and_counts(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    record = services_hours.service_credit(
        actor=personas.community_a1_cadre,
        volunteer=made,
        org=tree.community_a1,
        activity_ref="activities.Activity:1",
        activity_title="普法宣传进社区",
        started_at=at(1, 9),
        ended_at=at(1, 11, 50),
    )

    assert record.state == "approved"
    assert record.hours == Decimal("2.50")
    assert selectors.volunteer_totals(made, year=2026).all_time == Decimal("2.50")


def test_rounding_rule_comes_from_the_policy_table(tree: Tree):
    assert services_hours.hours_round(Decimal("2.8")) == Decimal("2.50")
    policy_set(
        actor=user_with_post("leader", tree.district, "district_leader"),
        key="volunteer.hours_rounding",
        value="nearest",
        valid_from=timezone.localdate(),
        basis="测试",
    )

    assert services_hours.hours_round(Decimal("2.8")) == Decimal("3.00")
    assert services_hours.hours_round(Decimal("2.7")) == Decimal("2.50")


def test_overlapping_time_is_never_credited_twice(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    service_record(made, at(1, 9), hours=2, activity_ref="a:1")

    for start, end in ((at(1, 10), at(1, 12)), (at(1, 8), at(1, 9, 30)), (at(1, 9), at(1, 11))):
        with pytest.raises(ValidationError, match="时间重叠"):
            services_hours.service_credit(
                actor=None,
                volunteer=made,
                org=tree.community_a1,
                activity_ref="a:2",
                activity_title="另一活动",
                started_at=start,
                ended_at=end,
            )
        with pytest.raises(ValidationError, match="时间重叠"):
            services_hours.service_record_enter(
                actor=personas.community_a1_cadre,
                volunteer=made,
                org=tree.community_a1,
                activity_title="手工录入",
                started_at=start,
                ended_at=end,
                hours=Decimal("1"),
                content="陪伴",
            )
    # Touching ends are not an overlap.
    service_record(made, at(1, 11), hours=1, activity_ref="a:3")
    assert ServiceRecord.objects.filter(volunteer=made).count() == 2


def test_the_same_activity_is_credited_once(tree: Tree):
    made = volunteer(tree.community_a1)
    service_record(made, at(1, 9), activity_ref="activities.Activity:7")

    with pytest.raises(ValidationError, match="已经记录"):
        service_record(made, at(2, 9), activity_ref="activities.Activity:7")


def test_hours_longer_than_the_activity_are_refused(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    common = {
        "actor": personas.community_a1_cadre,
        "volunteer": made,
        "org": tree.community_a1,
        "activity_title": "敬老院陪伴",
        "content": "读报",
    }

    with pytest.raises(ValidationError, match="不能超过"):
        services_hours.service_record_enter(
            started_at=at(3, 9), ended_at=at(3, 11), hours=Decimal("3"), **common
        )
    with pytest.raises(ValidationError, match="超出了活动时间"):
        services_hours.service_record_enter(
            started_at=at(3, 9),
            ended_at=at(3, 12),
            hours=Decimal("3"),
            activity_start=at(3, 9),
            activity_end=at(3, 11),
            **common,
        )
    with pytest.raises(ValidationError, match=r"按 0\.5 小时"):
        services_hours.service_record_enter(
            started_at=at(3, 9), ended_at=at(3, 11), hours=Decimal("1.3"), **common
        )
    with pytest.raises(ValidationError, match="大于零"):
        services_hours.service_record_enter(
            started_at=at(3, 9), ended_at=at(3, 11), hours=Decimal("0"), **common
        )
    with pytest.raises(ValidationError, match="晚于开始"):
        services_hours.service_record_enter(
            started_at=at(3, 11), ended_at=at(3, 9), hours=Decimal("1"), **common
        )
    future = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="尚未发生"):
        services_hours.service_record_enter(
            started_at=future,
            ended_at=future + datetime.timedelta(hours=1),
            hours=Decimal("1"),
            **common,
        )
    with pytest.raises(ValidationError, match="服务内容"):
        services_hours.service_record_enter(
            started_at=at(3, 9),
            ended_at=at(3, 11),
            hours=Decimal("1"),
            **{**common, "content": " "},
        )
    assert not ServiceRecord.objects.filter(volunteer=made).exists()


def test_hand_entered_hours_count_only_once_approved(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    record = services_hours.service_record_enter(
        actor=personas.community_a1_cadre,
        volunteer=made,
        org=tree.community_a1,
        activity_title="敬老院陪伴",
        started_at=at(3, 9),
        ended_at=at(3, 11),
        hours=Decimal("2"),
        content="读报",
    )
    assert record.state == "pending"
    assert selectors.volunteer_totals(made).all_time == 0

    # The community cadre entered it; approving is the street's (volunteers.approve_hours).
    with pytest.raises(TransitionNotPermittedError):
        services_hours.service_record_decide(
            actor=personas.community_a1_cadre, record=record, transition="approve"
        )
    with pytest.raises(TransitionNotPermittedError):
        services_hours.service_record_decide(
            actor=personas.street_b_cadre, record=record, transition="approve"
        )
    services_hours.service_record_decide(
        actor=personas.street_a_cadre, record=record, transition="approve"
    )
    assert selectors.volunteer_totals(made).all_time == Decimal("2")

    # A double click: the second approval is refused, nothing counted twice.
    stale = ServiceRecord.objects.get(pk=record.pk)
    stale.version -= 1
    with pytest.raises(TransitionError):
        services_hours.service_record_decide(
            actor=personas.street_a_cadre, record=stale, transition="approve"
        )
    with pytest.raises(TransitionError, match="理由"):
        services_hours.service_record_decide(
            actor=personas.street_a_cadre, record=record, transition="revoke"
        )
    services_hours.service_record_decide(
        actor=personas.street_a_cadre, record=record, transition="revoke", comment="重复录入"
    )
    assert selectors.volunteer_totals(made).all_time == 0


def test_a_rejected_record_frees_its_time(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    common = {
        "volunteer": made,
        "org": tree.community_a1,
        "activity_title": "敬老院陪伴",
        "started_at": at(3, 9),
        "ended_at": at(3, 11),
        "hours": Decimal("2"),
        "content": "读报",
    }
    record = services_hours.service_record_enter(actor=personas.community_a1_cadre, **common)
    services_hours.service_record_decide(
        actor=personas.street_a_cadre, record=record, transition="reject", comment="时间有误"
    )

    assert services_hours.service_record_enter(actor=personas.community_a1_cadre, **common).pk


def test_correction_needs_a_reason_and_keeps_the_history(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    record = service_record(made, at(1, 9), hours=3)
    other = service_record(made, at(1, 14), hours=1, activity_ref="b")

    with pytest.raises(ValidationError, match="原因"):
        services_hours.service_record_correct(
            actor=personas.street_a_cadre, record=record, reason=" ", hours=Decimal("2")
        )
    with pytest.raises(PermissionDenied):
        services_hours.service_record_correct(
            actor=personas.community_a1_cadre, record=record, reason="x", hours=Decimal("2")
        )
    with pytest.raises(ValidationError, match="时间重叠"):
        services_hours.service_record_correct(
            actor=personas.street_a_cadre,
            record=record,
            reason="签退晚登记",
            ended_at=at(1, 14, 30),
        )
    correction = services_hours.service_record_correct(
        actor=personas.street_a_cadre, record=record, reason="中途离开一小时", hours=Decimal("2")
    )

    record.refresh_from_db()
    assert record.hours == Decimal("2")
    assert other.hours == Decimal("1")
    assert correction.before["hours"] == "3.00"
    assert correction.after["hours"] == "2.00"
    assert correction.actor == personas.street_a_cadre
    assert list(record.corrections.values_list("reason", flat=True)) == ["中途离开一小时"]
    with pytest.raises(ValidationError, match="没有需要更正"):
        services_hours.service_record_correct(
            actor=personas.street_a_cadre, record=record, reason="再次", hours=Decimal("2")
        )


def test_a_volunteer_who_left_is_not_credited(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    services.volunteer_update(
        actor=personas.community_a1_cadre, volunteer=made, status=VolunteerStatus.LEFT
    )

    with pytest.raises(ValidationError, match="已退出"):
        service_record(made)


# --- star levels and totals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "level", "to_next"),
    [(0, 0, 100), (99.5, 0, 0.5), (100, 1, 200), (650, 3, 350), (1500, 5, None)],
)
def test_star_levels_follow_the_policy_thresholds(db: None, hours, level, to_next):
    reached, missing = selectors.star_level(Decimal(str(hours)))

    assert reached == level
    assert missing == (None if to_next is None else Decimal(str(to_next)))


def test_yearly_and_all_time_totals(tree: Tree):
    made = volunteer(tree.community_a1)
    service_record(made, timezone.make_aware(datetime.datetime(2025, 6, 1, 9)), hours=4)
    service_record(made, at(1, 9), hours=2)

    totals = selectors.volunteer_totals(made, year=2026)

    assert (totals.all_time, totals.this_year, totals.star_level) == (Decimal(6), Decimal(2), 0)


# --- certificates ----------------------------------------------------------------------------


SIGNERS = services_certificates.CertificateSigners("王主任", "李干事", "0531-88888888")


def test_certificate_states_the_required_content_with_the_id_masked(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    service_record(made, at(1, 9), hours=2, activity_title="普法宣传进社区")
    service_record(made, at(2, 9), hours=3, activity_title="困难家庭走访")
    service_record(made, at(2, 14), hours=1, org=tree.community_b1, activity_ref="elsewhere")

    issued = services_certificates.volunteer_certificate_issue(
        actor=personas.community_a1_cadre, volunteer=made, org=tree.community_a1, signers=SIGNERS
    )

    facts = dict(issued.certificate.facts)
    citizen_id = made.person.citizen_id
    assert issued.hours == Decimal(5)  # only what community A1 recorded
    assert facts["证件号码"] == citizen_id[:6] + "********" + citizen_id[-4:]
    assert facts["志愿者编号"] == made.number
    assert facts["服务时长"] == "5 小时"
    assert "普法宣传进社区" in facts["服务内容"]
    assert "困难家庭走访" in facts["服务内容"]
    assert (facts["负责人"], facts["经办人"], facts["联系方式"]) == (
        "王主任",
        "李干事",
        "0531-88888888",
    )
    assert issued.certificate.kind == "志愿服务记录证明"
    assert issued.certificate.issuer == tree.community_a1.name
    assert made.person.name not in issued.certificate.holder_display
    verdict = certificate_verify(
        number=issued.certificate.number, signature=issued.certificate.signature
    )
    assert verdict.verdict == Verdict.VALID


def test_certificate_refused_without_hours_or_outside_scope(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    with pytest.raises(ValidationError, match="没有由本单位认定"):
        services_certificates.volunteer_certificate_issue(
            actor=personas.community_a1_cadre,
            volunteer=made,
            org=tree.community_a1,
            signers=SIGNERS,
        )
    with pytest.raises(PermissionDenied):
        services_certificates.volunteer_certificate_issue(
            actor=personas.street_b_cadre, volunteer=made, org=tree.community_a1, signers=SIGNERS
        )
    service_record(made, at(1, 9))
    with pytest.raises(ValidationError, match="负责人"):
        services_certificates.volunteer_certificate_issue(
            actor=personas.community_a1_cadre,
            volunteer=made,
            org=tree.community_a1,
            signers=services_certificates.CertificateSigners("", "李干事", "x"),
        )


def test_correction_request_confirmed_reissues_refused_needs_a_reason(
    tree: Tree, personas: Personas
):
    made = volunteer(tree.community_a1, user=personas.resident)
    record = service_record(made, at(1, 9), hours=3)
    issued = services_certificates.volunteer_certificate_issue(
        actor=personas.community_a1_cadre, volunteer=made, org=tree.community_a1, signers=SIGNERS
    )

    # Only the volunteer herself (or staff) may ask.
    with pytest.raises(PermissionDenied):
        services_certificates.certificate_correction_request(
            actor=personas.street_b_cadre, volunteer_certificate=issued, message="少计"
        )
    with pytest.raises(ValidationError, match="更正的内容"):
        services_certificates.certificate_correction_request(
            actor=personas.resident, volunteer_certificate=issued, message=" "
        )
    first = services_certificates.certificate_correction_request(
        actor=personas.resident, volunteer_certificate=issued, message="时长应为 2 小时"
    )
    with pytest.raises(ValidationError, match="待处理"):
        services_certificates.certificate_correction_request(
            actor=personas.resident, volunteer_certificate=issued, message="再次"
        )
    with pytest.raises(TransitionError, match="理由"):
        services_certificates.certificate_correction_decide(
            actor=personas.community_a1_cadre, correction=first, confirm=False
        )
    services_hours.service_record_correct(
        actor=personas.street_a_cadre, record=record, reason="志愿者提出更正", hours=Decimal(2)
    )
    services_certificates.certificate_correction_decide(
        actor=personas.community_a1_cadre, correction=first, confirm=True
    )

    issued.refresh_from_db()
    old = issued.certificate
    assert old.is_revoked
    assert issued.replaced_by is not None
    assert issued.replaced_by.hours == Decimal(2)
    assert certificate_verify(number=old.number, signature=old.signature).verdict == Verdict.REVOKED

    second = services_certificates.certificate_correction_request(
        actor=personas.resident, volunteer_certificate=issued.replaced_by, message="名称有误"
    )
    services_certificates.certificate_correction_decide(
        actor=personas.community_a1_cadre, correction=second, confirm=False, comment="记录无误"
    )
    assert CertificateCorrection.objects.get(pk=second.pk).state == "refused"


def test_factory_certificate_is_registered(tree: Tree):
    made = volunteer_certificate(volunteer(tree.community_a1))
    assert made.certificate.number


# --- recruiting ------------------------------------------------------------------------------


def test_matching_by_skill_area_and_category(tree: Tree, personas: Personas):
    legal = ServiceCategory.objects.get(code="legal_advice")
    lawyer = volunteer(tree.community_a1, skills="法律、调解", categories=[legal])
    volunteer(tree.community_a2, skills="摄影")
    elsewhere = volunteer(tree.community_b1, skills="法律")
    serves_a2 = volunteer(tree.community_b1, skills="法律", service_areas=[tree.community_a2])

    found = set(selectors.volunteers_matching(personas.district_staff, skill="法律"))
    assert found == {lawyer, elsewhere, serves_a2}
    assert set(
        selectors.volunteers_matching(personas.district_staff, skill="法律", area=tree.street_a)
    ) == {lawyer, serves_a2}
    assert set(selectors.volunteers_matching(personas.district_staff, category=legal)) == {lawyer}
    assert elsewhere not in set(
        selectors.volunteers_matching(personas.street_a_cadre, skill="法律")
    )


def test_invite_goes_through_the_outbox(tree: Tree, personas: Personas):
    from warmhome.notifications.models import Message

    with_account = volunteer(tree.community_a1, user=personas.resident)
    without = volunteer(tree.community_a1)

    result = services.volunteers_invite(
        actor=personas.community_a1_cadre,
        volunteers=[with_account, without],
        subject="招募：普法宣传",
        body="周六上午",
    )

    assert (result.invited, result.without_account) == (1, 1)
    assert Message.objects.filter(recipient=personas.resident, subject="招募：普法宣传").exists()
    with pytest.raises(PermissionDenied):
        services.volunteers_invite(
            actor=personas.street_b_cadre, volunteers=[without], subject="x", body=""
        )


def test_volunteer_is_unique_per_person(tree: Tree):
    made = volunteer(tree.community_a1)
    assert Volunteer.objects.filter(person=made.person).count() == 1


def test_monthly_figures_follow_every_change_and_match_a_rebuild(tree: Tree, personas: Personas):
    from warmhome.volunteers.models import MonthlyHours

    def figures() -> set[tuple[int, datetime.date, Decimal, int]]:
        return {
            (row.org_id, row.month, row.hours, row.records)
            for row in MonthlyHours.objects.all()
            if row.records or row.hours
        }

    made = volunteer(tree.community_a1)
    first = service_record(made, at(1, 9), hours=3)
    service_record(made, at(2, 9), hours=2, org=tree.community_a2, activity_ref="x")
    entered = services_hours.service_record_enter(
        actor=personas.community_a1_cadre,
        volunteer=made,
        org=tree.community_a1,
        activity_title="敬老院陪伴",
        started_at=at(5, 9, month=4),
        ended_at=at(5, 11, month=4),
        hours=Decimal("2"),
        content="读报",
    )
    services_hours.service_record_decide(
        actor=personas.street_a_cadre, record=entered, transition="approve"
    )
    services_hours.service_record_correct(
        actor=personas.street_a_cadre,
        record=first,
        reason="改到次月",
        started_at=at(1, 9, month=4),
        ended_at=at(1, 11, month=4),
        hours=Decimal("2"),
    )
    services_hours.service_record_decide(
        actor=personas.street_a_cadre, record=entered, transition="revoke", comment="重复"
    )

    kept = figures()
    assert kept == {
        (tree.community_a1.pk, datetime.date(2026, 4, 1), Decimal("2.00"), 1),
        (tree.community_a2.pk, datetime.date(2026, 3, 1), Decimal("2.00"), 1),
    }
    services_hours.monthly_hours_rebuild()
    assert figures() == kept


def test_household_timeline_shows_volunteer_events(tree: Tree, personas: Personas):
    from warmhome.people.services import household_create
    from warmhome.people.timeline import household_timeline

    made = volunteer(tree.community_a1)
    household = household_create(
        actor=None, org=tree.community_a1, address="历下区某路1号", head=made.person
    )
    volunteer_certificate(made)

    titles = [event.title for event in household_timeline(household, personas.community_a1_cadre)]

    assert any("登记为巾帼志愿者" in title for title in titles)
    assert any("志愿服务记录证明" in title for title in titles)
    assert household_timeline(household, personas.street_b_cadre) == []


def test_a_double_click_issues_one_certificate(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    service_record(made, at(1, 9))
    services_certificates.volunteer_certificate_issue(
        actor=personas.community_a1_cadre, volunteer=made, org=tree.community_a1, signers=SIGNERS
    )

    with pytest.raises(ValidationError, match="请勿重复出具"):
        services_certificates.volunteer_certificate_issue(
            actor=personas.community_a1_cadre,
            volunteer=made,
            org=tree.community_a1,
            signers=SIGNERS,
        )
    assert made.certificates.count() == 1


def test_linking_her_own_account_only_within_scope(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    outsider = user_with_post("outsider_b1", tree.community_b1, "resident")

    with pytest.raises(ValidationError, match="不在您的管理范围"):
        services.volunteer_link_account(
            actor=personas.community_a1_cadre, volunteer=made, username=outsider.username
        )
    with pytest.raises(ValidationError, match="不在您的管理范围"):
        services.volunteer_link_account(
            actor=personas.community_a1_cadre, volunteer=made, username="nobody"
        )
    services.volunteer_link_account(
        actor=personas.community_a1_cadre, volunteer=made, username=personas.resident.username
    )
    made.refresh_from_db()
    assert made.user == personas.resident
    other = volunteer(tree.community_a1)
    with pytest.raises(ValidationError, match="已关联其他志愿者"):
        services.volunteer_link_account(
            actor=personas.community_a1_cadre, volunteer=other, username=personas.resident.username
        )
    services.volunteer_link_account(actor=personas.community_a1_cadre, volunteer=made, username="")
    made.refresh_from_db()
    assert made.user is None
