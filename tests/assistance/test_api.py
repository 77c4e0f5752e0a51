"""The assistance API: scoped reads, filing and the approval path through the same services."""

import pytest
from django.test import Client

from tests.assistance.conftest import Path, Relief, file, to_district

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_filing_and_approving_through_the_api(relief: Relief, path: Path):
    created = _client(path.community).post(
        "/api/assistance/applications",
        {
            "fund_id": relief.fund.pk,
            "person_id": relief.person.pk,
            "hardship": "illness",
            "description": "住院",
            "amount_requested": "1200.10",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    from warmhome.assistance.models import ReliefApplication

    to_district(ReliefApplication.objects.get(pk=pk), path)
    version = _client(path.district).get(f"/api/assistance/applications/{pk}").json()["version"]
    approved = _client(path.district).post(
        f"/api/assistance/applications/{pk}/transition",
        {
            "transition": "district_approve",
            "version": version,
            "amount_approved": "1200.10",
            "meeting_ref": "会议2号",
            "attendees": "主席",
            "decision": "同意",
        },
        content_type="application/json",
    )
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["state"] == "approved"
    assert body["amount_approved"] == "1200.10"
    assert [entry["kind"] for entry in body["ledger"]] == ["commit"]


def test_a_refusal_answers_in_chinese(relief: Relief, path: Path):
    application = to_district(file(relief, path.community, "5000.00"), path)
    application.refresh_from_db()
    answer = _client(path.district).post(
        f"/api/assistance/applications/{application.pk}/transition",
        {
            "transition": "district_approve",
            "version": application.version,
            "amount_approved": "5000.00",
            "meeting_ref": "1",
            "attendees": "1",
            "decision": "1",
        },
        content_type="application/json",
    )
    assert answer.status_code == 200
    refused = _client(path.community).post(
        "/api/assistance/applications",
        {
            "fund_id": relief.fund.pk,
            "person_id": relief.person.pk,
            "hardship": "living",
            "description": "再次申请",
            "amount_requested": "4000",
        },
        content_type="application/json",
    )
    assert refused.status_code in (400, 422)
    assert "超过个人年度救助上限" in refused.json()["detail"]


def test_budgets_show_available_and_reconciliation(relief: Relief, path: Path):
    budgets = _client(path.district).get("/api/assistance/budgets").json()
    assert budgets[0]["available"] == "100000.00"
    assert budgets[0]["reconciled"] is True
    assert _client(path.community).get("/api/assistance/budgets").json() == []
