"""Safety plan, warning letters, shelter, referrals, mandatory report, follow-ups and closure."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import dv_case, person
from tests.rights.conftest import Station
from warmhome.rights import services
from warmhome.rights import services_measures as sm
from warmhome.rights import services_orders as so
from warmhome.rights.models import (
    CaseStatus,
    MandatoryReport,
    SafetyPlan,
    ShelterStay,
    WarningLetter,
    WarningVisit,
)

pytestmark = pytest.mark.django_db

HITS_HIGH = {"hurt": 2, "insult": 3, "threaten": 3, "scream": 3}


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(tree: Tree, station: Station):
    return dv_case(tree.community_a1, workers=[station.worker])


def test_safety_plan_is_one_per_case_and_saving_again_reviews_it(case, station):
    sm.safety_plan_save(
        actor=station.worker, case=case, safe_contacts="姐姐 138", code_word="买酱油"
    )
    plan = sm.safety_plan_save(
        actor=station.worker,
        case=case,
        safe_contacts="姐姐 138",
        documents_ready=True,
        reviewed_on=days_ago(0),
    )

    assert SafetyPlan.objects.count() == 1
    assert plan.documents_ready
    assert plan.code_word == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT safe_contacts FROM rights_safetyplan")
        assert "姐姐" not in cursor.fetchone()[0]


def test_empty_safety_plan_is_refused(case, station):
    with pytest.raises(ValidationError, match="至少填写一项"):
        sm.safety_plan_save(actor=station.worker, case=case)


def test_high_band_shows_safety_plan_order_and_shelter_suggestions_until_taken(case, station):
    url = reverse("rights:case_detail", args=[case.pk])
    services.risk_assessment_record(
        actor=station.worker, case=case, instrument="hits", answers=HITS_HIGH
    )

    page = client_for(station.worker).get(url)
    assert page.context["suggestions"] == [
        "制定安全计划",
        "建议申请人身安全保护令",
        "评估是否转介临时庇护",
    ]
    assert "高风险个案，建议采取以下措施" in page.content.decode()

    sm.safety_plan_save(actor=station.worker, case=case, safe_place="娘家")
    so.protection_order_apply(
        actor=station.worker,
        case=case,
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
    )
    sm.referral_record(
        actor=station.worker,
        case=case,
        kind="shelter",
        referred_to="市救助管理站",
        referred_on=days_ago(0),
    )
    assert client_for(station.worker).get(url).context["suggestions"] == []


def test_warning_letter_facts_are_encrypted_and_a_number_is_recorded_once(case, station):
    letter = sm.warning_letter_record(
        actor=station.worker,
        case=case,
        number="历公(告)字2026-017",
        issued_on=days_ago(5),
        police_station="解放路派出所",
        facts="殴打妻子致轻微伤",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT facts FROM rights_warningletter")
        assert "殴打" not in cursor.fetchone()[0]

    with pytest.raises(ValidationError, match="已登记"):
        sm.warning_letter_record(
            actor=station.worker,
            case=case,
            number="历公(告)字2026-017",
            issued_on=days_ago(5),
            police_station="解放路派出所",
        )
    assert WarningLetter.objects.count() == 1

    for _attempt in range(2):
        sm.warning_visit_record(
            actor=station.worker,
            letter=letter,
            visited_on=days_ago(1),
            visitors="居委会王某、民警李某",
        )
    assert WarningVisit.objects.count() == 1
    with pytest.raises(ValidationError, match="不能早于告诫书"):
        sm.warning_visit_record(
            actor=station.worker, letter=letter, visited_on=days_ago(6), visitors="居委会"
        )


def test_shelter_beyond_ten_days_needs_a_reason(case, station):
    start = days_ago(3)
    with pytest.raises(ValidationError, match="须填写延长理由"):
        sm.shelter_admit(
            actor=station.worker,
            case=case,
            place="区临时庇护站",
            from_on=start,
            until_on=start + datetime.timedelta(days=11),
        )
    stay = sm.shelter_admit(
        actor=station.worker,
        case=case,
        place="区临时庇护站",
        from_on=start,
        until_on=start + datetime.timedelta(days=10),
        children_count=2,
    )
    assert stay.children_count == 2

    with pytest.raises(ValidationError, match="须填写延长理由"):
        sm.shelter_extend(
            actor=station.worker, stay=stay, until_on=start + datetime.timedelta(days=15), reason=""
        )
    stay = sm.shelter_extend(
        actor=station.worker,
        stay=stay,
        until_on=start + datetime.timedelta(days=15),
        reason="住房尚未落实",
    )
    assert "住房尚未落实" in stay.extension_reason
    with connection.cursor() as cursor:
        cursor.execute("SELECT place FROM rights_shelterstay")
        assert "庇护站" not in cursor.fetchone()[0]


def test_a_second_shelter_stay_while_one_is_open_is_refused(case, station):
    sm.shelter_admit(
        actor=station.worker, case=case, place="甲", from_on=days_ago(2), until_on=days_ago(0)
    )

    with pytest.raises(ValidationError, match="尚未离开"):
        sm.shelter_admit(
            actor=station.worker, case=case, place="乙", from_on=days_ago(1), until_on=days_ago(0)
        )
    assert ShelterStay.objects.count() == 1


def test_shelter_place_is_never_in_the_case_list(case, station):
    sm.shelter_admit(
        actor=station.worker,
        case=case,
        place="泉城路某号庇护点",
        from_on=days_ago(2),
        until_on=days_ago(0),
    )

    listed = client_for(station.worker).get(reverse("rights:case_list")).content.decode()

    assert case.number in listed
    assert "泉城路某号庇护点" not in listed


def test_referral_and_its_outcome(case, station):
    referral = sm.referral_record(
        actor=station.worker,
        case=case,
        kind="legal_aid",
        referred_to="历下区法律援助中心",
        referred_on=days_ago(4),
    )
    referral = sm.referral_outcome_record(
        actor=station.worker, referral=referral, outcome="已指派律师", outcome_on=days_ago(1)
    )

    assert referral.outcome_on == days_ago(1)
    with pytest.raises(ValidationError):
        sm.referral_record(
            actor=station.worker,
            case=case,
            kind="astrology",
            referred_to="x",
            referred_on=days_ago(1),
        )


def test_closure_refused_while_an_order_application_is_pending(case, station):
    so.protection_order_apply(
        actor=station.worker,
        case=case,
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
    )

    with pytest.raises(ValidationError, match="尚未裁定"):
        sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_closure_of_a_case_with_children_needs_the_mandatory_report(tree, station):
    case = dv_case(
        tree.community_a1, workers=[station.worker], children=[person(tree.community_a1)]
    )

    with pytest.raises(ValidationError, match="强制报告"):
        sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")

    report = sm.mandatory_report_record(
        actor=station.worker,
        case=case,
        reported_at=timezone.now() - datetime.timedelta(hours=2),
        police_unit="解放路派出所",
        receipt_number="JB-2026-88",
    )
    again = sm.mandatory_report_record(
        actor=station.worker,
        case=case,
        reported_at=timezone.now() - datetime.timedelta(hours=2),
        police_unit="解放路派出所",
        receipt_number="JB-2026-88",
    )
    assert again.pk == report.pk
    closure = sm.dv_case_close(actor=station.worker, case=case, outcome="safe_elsewhere")

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert closure.get_outcome_display() == "已安全安置"


@pytest.mark.parametrize("flag", ["is_minor", "lacks_capacity"])
def test_closure_of_a_victim_without_full_capacity_needs_the_mandatory_report(tree, station, flag):
    case = dv_case(tree.community_a1, workers=[station.worker], **{flag: True})

    with pytest.raises(ValidationError, match="强制报告"):
        sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")
    assert not MandatoryReport.objects.exists()


@pytest.mark.parametrize(
    "flag", ["is_elderly", "is_disabled", "is_pregnant_or_nursing", "is_seriously_ill"]
)
def test_special_protection_alone_does_not_hold_the_case_open_for_a_report(tree, station, flag):
    # 反家庭暴力法 第十四条 asks for the report for persons without full civil capacity only.
    case = dv_case(tree.community_a1, workers=[station.worker], **{flag: True})

    assert not sm.mandatory_report_required(case)
    sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_closed_case_refuses_a_second_closure_and_new_measures(case, station):
    sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")

    with pytest.raises(ValidationError, match="已结案"):
        sm.dv_case_close(actor=station.worker, case=case, outcome="stopped")
    with pytest.raises(ValidationError, match="已结案"):
        sm.case_followup_record(
            actor=station.worker, case=case, followed_on=days_ago(0), way="phone"
        )


def test_draft_case_cannot_be_closed(tree, station):
    draft = dv_case(tree.community_a1, workers=[station.worker], submitted=False)

    with pytest.raises(ValidationError, match="尚未提交"):
        sm.dv_case_close(actor=station.worker, case=draft, outcome="stopped")


def test_reporter_identity_shown_to_the_station_head_only(tree, station):
    case = dv_case(tree.community_a1, workers=[station.worker], is_minor=True)
    sm.mandatory_report_record(
        actor=station.worker,
        case=case,
        reported_at=timezone.now(),
        police_unit="解放路派出所",
        receipt_number="JB-1",
    )
    url = reverse("rights:case_detail", args=[case.pk])

    assert client_for(station.head).get(url).context["may_see_reporter"]
    worker_page = client_for(station.worker).get(url)
    assert not worker_page.context["may_see_reporter"]
    assert "（保密）" in worker_page.content.decode()


def test_follow_up_double_submit_adds_one_and_next_date_must_be_later(case, station):
    for _attempt in range(2):
        sm.case_followup_record(
            actor=station.worker, case=case, followed_on=days_ago(1), way="phone", note="情绪稳定"
        )
    assert case.followups.count() == 1
    with pytest.raises(ValidationError, match="下次回访日期"):
        sm.case_followup_record(
            actor=station.worker,
            case=case,
            followed_on=days_ago(1),
            way="visit",
            next_on=days_ago(1),
        )


def test_someone_outside_the_team_cannot_record_measures(case, station):
    with pytest.raises(PermissionDenied):
        sm.case_followup_record(
            actor=station.other_worker, case=case, followed_on=days_ago(0), way="phone"
        )
    with pytest.raises(PermissionDenied):
        sm.warning_letter_record(
            actor=station.district_rights,
            case=case,
            number="1",
            issued_on=days_ago(0),
            police_station="派出所",
        )
