"""The analysis report: suggestions written in the UI, issued in Word, names masked, markup
inert, last period's follow-ups reported."""

import io
import zipfile

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import opinion, user_with_post
from warmhome.opinions import services_work
from warmhome.opinions.selectors import Period


def _text_of(payload: bytes) -> str:
    document = docx.Document(io.BytesIO(payload))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _quarter() -> Period:
    today = timezone.localdate()
    return Period.quarter(today.year, (today.month - 1) // 3 + 1)


def test_issued_report_holds_figures_quotes_masked_and_suggestions(personas: Personas, tree: Tree):
    rep = user_with_post("rep_report", tree.community_a1, "representative", display_name="王秀英")
    opinion(
        tree.community_a1,
        "<script>alert(1)</script>丈夫喝酒后打人",
        topic="DV",
        submitter=rep,
        channel="womens_rep",
    )
    quarter = _quarter()
    report = services_work.report_create(
        actor=personas.district_staff,
        org=tree.district,
        period="quarter",
        year=quarter.year,
        number=quarter.number,
    )
    with pytest.raises(ValidationError):
        services_work.report_issue(actor=personas.district_staff, report=report)
    services_work.report_edit(
        actor=personas.district_staff,
        report=report,
        problems="家庭暴力诉求集中",
        suggestions="加强反家暴联动机制",
    )
    issued = services_work.report_issue(actor=personas.district_staff, report=report)
    text = _text_of(bytes(issued.document))
    assert "加强反家暴联动机制" in text
    assert "家庭暴力诉求集中" in text
    assert "王**" in text
    assert "王秀英" not in text
    assert "<script>alert(1)</script>" in text  # a literal run, not markup
    raw = zipfile.ZipFile(io.BytesIO(bytes(issued.document))).read("word/document.xml")
    assert b"<script>" not in raw
    with pytest.raises(ValidationError):
        services_work.report_edit(
            actor=personas.district_staff, report=issued, problems="", suggestions="改"
        )


def test_report_says_what_was_done_about_last_periods_followups(personas: Personas, tree: Tree):
    quarter = _quarter()
    before = quarter.previous()
    made = opinion(
        tree.community_a1, "路灯坏了", occurred_at=before.bounds()[0] + timezone.timedelta(days=3)
    )
    followup = services_work.followup_assign(
        actor=personas.street_a_cadre,
        opinion=made,
        assignee=personas.community_a1_cadre,
        request="请联系物业维修",
    )
    services_work.followup_respond(
        actor=personas.community_a1_cadre,
        followup=followup,
        outcome="物业已更换路灯",
        version=followup.version,
    )
    report = services_work.report_create(
        actor=personas.district_staff,
        org=tree.district,
        period="quarter",
        year=quarter.year,
        number=quarter.number,
    )
    client = Client()
    client.force_login(personas.district_staff)
    response = client.get(reverse("opinions:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert "物业已更换路灯" in _text_of(response.content)


def test_report_list_has_a_bounded_number_of_queries(
    personas: Personas, tree: Tree, django_assert_max_num_queries
):
    for number in range(1, 13):
        services_work.report_create(
            actor=personas.district_staff,
            org=tree.district,
            period="month",
            year=2025,
            number=number,
        )
    client = Client()
    client.force_login(personas.district_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("opinions:report_list"))
    assert len(response.context["reports"]) == 12


def test_creating_the_same_period_twice_returns_the_first(personas: Personas, tree: Tree):
    first = services_work.report_create(
        actor=personas.district_staff, org=tree.district, period="month", year=2025, number=3
    )
    second = services_work.report_create(
        actor=personas.district_staff, org=tree.district, period="month", year=2025, number=3
    )
    assert first.pk == second.pk
    with pytest.raises(ValidationError):
        services_work.report_create(
            actor=personas.district_staff, org=tree.district, period="quarter", year=2025, number=5
        )


def test_related_opinions_become_a_proposal_carried_and_answered(personas: Personas, tree: Tree):
    deputy = user_with_post("deputy", tree.district, "representative")
    related = [opinion(tree.community_a1, f"托育机构太少太贵{number}") for number in range(3)]
    proposal = services_work.proposal_draft(
        actor=personas.street_a_cadre,
        org=tree.street_a,
        kind="suggestion",
        title="关于增加普惠托育机构的建议",
        body="辖区托育机构少、收费高。",
        carrier=deputy,
        opinions=related,
    )
    assert proposal.state == "draft"
    services_work.proposal_transition(
        actor=personas.street_a_cadre, proposal=proposal, transition="submit", version=0
    )
    services_work.proposal_transition(
        actor=personas.street_a_cadre,
        proposal=proposal,
        transition="record_reply",
        version=1,
        fields={"reply": "区教体局已列入明年计划", "changes": "新增普惠托位 200 个"},
    )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reply, proposal.changes) == (
        "replied",
        "区教体局已列入明年计划",
        "新增普惠托位 200 个",
    )
    assert set(proposal.opinions.all()) == set(related)


def test_a_proposal_needs_a_deputy_or_member_as_carrier(personas: Personas, tree: Tree):
    with pytest.raises(ValidationError) as refusal:
        services_work.proposal_draft(
            actor=personas.street_a_cadre,
            org=tree.street_a,
            kind="proposal",
            title="标题",
            body="正文",
            carrier=personas.resident,
            opinions=[opinion(tree.community_a1)],
        )
    assert "carrier" in refusal.value.message_dict
