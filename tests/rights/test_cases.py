"""Intake, narrative lock and addenda, risk scoring, shielding."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.factories import dv_case, person, user_with_post
from tests.rights.conftest import Station
from warmhome.core.todo import items_for
from warmhome.notifications.models import Message
from warmhome.people.models import Person
from warmhome.people.rendering import SHIELDED_NAME, render_person
from warmhome.rights import scoring, services
from warmhome.rights.models import CaseStatus, DvCase, RiskAssessment
from warmhome.rules.services import policy_set

HITS_LOW = {"hurt": 1, "insult": 3, "threaten": 3, "scream": 3}  # 10: negative
HITS_HIGH = {"hurt": 2, "insult": 3, "threaten": 3, "scream": 3}  # 11: positive


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_intake_form_opens_a_draft_case_and_shields_victim_and_children(
    tree: Tree, station: Station
):
    victim, child = person(tree.community_a1), person(tree.community_a1)
    client = client_for(station.worker)

    response = client.post(
        reverse("rights:case_open"),
        {
            "org": tree.community_a1.pk,
            "victim_query": f"#{victim.pk}",
            "children_query": f"#{child.pk}",
            "abuser_relationship": "spouse",
            "abuser_name": "王某",
            "is_pregnant_or_nursing": "on",
            "narrative": "昨晚被推倒在地",
        },
    )

    case = DvCase.objects.get()
    assert response.status_code == 302
    assert case.status == CaseStatus.DRAFT
    assert list(case.case_workers.all()) == [station.worker]
    assert list(case.children.all()) == [child]
    assert case.is_pregnant_or_nursing
    assert case.number.startswith("FB")
    for shielded in Person.objects.filter(pk__in=[victim.pk, child.pk]):
        assert shielded.is_shielded
        assert render_person(shielded, viewer=station.head).name == str(SHIELDED_NAME)


def test_intake_form_reports_an_unknown_victim(tree: Tree, station: Station):
    response = client_for(station.worker).post(
        reverse("rights:case_open"),
        {"org": tree.community_a1.pk, "victim_query": "#999999", "abuser_relationship": "spouse"},
    )

    assert response.status_code == 200
    assert "没有找到此人" in response.content.decode()
    assert not DvCase.objects.exists()


def test_submitted_narrative_is_locked_and_corrected_by_dated_addenda(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker], submitted=False)
    with pytest.raises(ValidationError):
        services.addendum_add(actor=station.worker, case=case, text="太早")
    services.dv_case_update_intake(actor=station.worker, case=case, narrative="改正后的陈述")

    client = client_for(station.worker)
    assert client.post(reverse("rights:case_submit", args=[case.pk])).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.submitted_at is not None

    with pytest.raises(ValidationError):
        services.dv_case_update_intake(actor=station.worker, case=case, narrative="篡改")
    response = client.post(
        reverse("rights:case_edit", args=[case.pk]),
        {"abuser_relationship": "spouse", "narrative": "篡改"},
    )
    assert "只能以补充说明更正" in response.content.decode()
    response = client.post(reverse("rights:addendum_add", args=[case.pk]), {"text": "补充：伤情"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.narrative == "改正后的陈述"
    addendum = case.addenda.get()
    assert addendum.written_on == datetime.date.today()
    assert addendum.author == station.worker


def test_submit_refuses_an_empty_narrative(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker], submitted=False, narrative="")

    with pytest.raises(ValidationError):
        services.dv_case_submit(actor=station.worker, case=case)


def test_outsider_cannot_write_to_a_case(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])

    with pytest.raises(PermissionDenied):
        services.addendum_add(actor=station.other_worker, case=case, text="不该写")
    with pytest.raises(PermissionDenied):
        services.dv_case_assign(actor=station.worker, case=case, workers=[station.worker])


@pytest.mark.parametrize(
    ("answers", "score", "band"), [(HITS_LOW, 10, "low"), (HITS_HIGH, 11, "high")]
)
def test_hits_is_positive_above_ten(answers, score, band):
    assert scoring.definition("hits").score(answers)[:2] == (score, band)


@pytest.mark.parametrize("answers", [{"hurt": 1}, {**HITS_LOW, "hurt": 6}, {**HITS_LOW, "hurt": 0}])
def test_hits_refuses_incomplete_or_out_of_range_answers(answers):
    with pytest.raises(ValidationError):
        scoring.definition("hits").score(answers)


def test_local_scale_bands_follow_the_policy_cutoffs(tree: Tree):
    local = scoring.definition("local")
    answers = {item.code: 0 for item in local.items}
    assert local.score(answers)[1] == "low"
    answers.update(escalating=1, weapon=1, strangling=1)
    assert local.score(answers)[1] == "medium"
    answers.update(death_threat=1, separation=1)
    assert local.score(answers)[1] == "high"

    policy_set(
        actor=user_with_post("leader", tree.district, "district_leader"),
        key="rights.local_scale_cutoffs",
        value=[4, 7],
        valid_from=datetime.date(2000, 1, 1),
        basis="测试",
    )
    score, band, snapshot = local.score(answers)
    assert (score, band) == (5, "medium")
    assert snapshot["cutoffs"] == {"medium_from": 4, "high_from": 7}


def test_assessment_keeps_answers_and_version_and_alerts_the_head(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])
    services.risk_assessment_record(
        actor=station.worker,
        case=case,
        instrument="hits",
        answers=HITS_LOW,
        assessed_on=datetime.date(2026, 3, 1),
    )
    assert not Message.objects.exists()
    response = client_for(station.worker).post(
        reverse("rights:assess", args=[case.pk]) + "?instrument=hits",
        {**HITS_HIGH, "assessed_on": "2026-03-02"},
    )
    assert response.status_code == 302

    latest = RiskAssessment.objects.get(assessed_on=datetime.date(2026, 3, 2))
    assert latest.answers == HITS_HIGH
    assert (latest.score, latest.band, latest.definition_version) == (11, "high", 1)
    case.refresh_from_db()
    assert case.risk_band == "high"
    assert Message.objects.filter(recipient=station.head).count() == 1
    assert [item.source for item in items_for(station.head)].count("rights.high_risk") == 1
    assert "rights.high_risk" not in [item.source for item in items_for(station.other_worker)]
    with pytest.raises(ValidationError):
        services.risk_assessment_record(
            actor=station.worker,
            case=case,
            instrument="hits",
            answers=HITS_LOW,
            assessed_on=datetime.date(2026, 3, 2),
        )


def test_a_new_definition_version_scores_new_assessments_only(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])
    first = services.risk_assessment_record(
        actor=station.worker,
        case=case,
        instrument="hits",
        answers=HITS_HIGH,
        assessed_on=datetime.date(2026, 3, 1),
    )
    hits = scoring.definition("hits")
    scoring.register_definition(
        scoring.ScoringDefinition(
            code="hits",
            version=2,
            label=hits.label,
            items=hits.items,
            answer_min=1,
            answer_max=5,
            band_of=hits.band_of,
            cutoffs=lambda: {"positive_above": 12},
        )
    )
    try:
        second = services.risk_assessment_record(
            actor=station.worker,
            case=case,
            instrument="hits",
            answers=HITS_HIGH,
            assessed_on=datetime.date(2026, 3, 2),
        )
    finally:
        scoring.unregister_definition("hits", 2)

    first.refresh_from_db()
    assert (first.definition_version, first.band) == (1, "high")
    assert (second.definition_version, second.band) == (2, "low")
    assert second.definition["cutoffs"] == {"positive_above": 12}


def test_case_page_opening_is_logged(tree: Tree, station: Station):
    from warmhome.core.models import AuditEntry

    case = dv_case(tree.community_a1, workers=[station.worker])
    client_for(station.worker).get(reverse("rights:case_detail", args=[case.pk]))

    assert AuditEntry.objects.filter(
        event="sensitive_read", actor_id=station.worker.pk, object_pk=str(case.pk)
    ).exists()


def test_intake_form_takes_the_person_a_help_request_links_with(tree: Tree, station: Station):
    victim = person(tree.community_a1)

    page = client_for(station.worker).get(
        reverse("rights:case_open"), {"victim_query": f"#{victim.pk}"}
    )

    assert f'value="#{victim.pk}"' in page.content.decode()
