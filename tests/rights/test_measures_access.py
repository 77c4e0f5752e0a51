"""The measures follow their case's confidentiality, on the pages and over the API; lists and
pages keep a bounded number of queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import dv_case
from tests.rights.conftest import Station
from warmhome.core.models import AuditEntry
from warmhome.people.rendering import SHIELDED_NAME
from warmhome.rights import services
from warmhome.rights import services_measures as sm
from warmhome.rights import services_orders as so
from warmhome.rights.models import OrderState, ProtectionOrder

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _full_case(tree: Tree, station: Station):
    """A case with one of every measure."""
    case = dv_case(tree.community_a1, workers=[station.worker])
    actor = station.worker
    sm.safety_plan_save(actor=actor, case=case, safe_place="娘家")
    letter = sm.warning_letter_record(
        actor=actor, case=case, number="告001", issued_on=days_ago(9), police_station="派出所"
    )
    sm.warning_visit_record(actor=actor, letter=letter, visited_on=days_ago(8), visitors="居委会")
    order = so.protection_order_apply(
        actor=actor,
        case=case,
        applicant_kind="victim",
        court="历下区人民法院",
        measures_requested=["forbid_violence"],
        applied_on=days_ago(9),
    )
    stay = sm.shelter_admit(
        actor=actor, case=case, place="庇护点甲", from_on=days_ago(3), until_on=days_ago(0)
    )
    referral = sm.referral_record(
        actor=actor, case=case, kind="counselling", referred_to="心理中心", referred_on=days_ago(2)
    )
    sm.case_followup_record(actor=actor, case=case, followed_on=days_ago(1), way="phone")
    return case, {"letter": letter, "order": order, "stay": stay, "referral": referral}


def _measure_urls(case, parts) -> list[str]:
    return [
        reverse("rights:safety_plan_edit", args=[case.pk]),
        reverse("rights:warning_letter_add", args=[case.pk]),
        reverse("rights:warning_visit_add", args=[parts["letter"].pk]),
        reverse("rights:order_apply", args=[case.pk]),
        reverse("rights:order_accept", args=[parts["order"].pk]),
        reverse("rights:order_issue", args=[parts["order"].pk]),
        reverse("rights:shelter_add", args=[case.pk]),
        reverse("rights:shelter_extend", args=[parts["stay"].pk]),
        reverse("rights:referral_outcome", args=[parts["referral"].pk]),
        reverse("rights:mandatory_report_add", args=[case.pk]),
        reverse("rights:followup_add", args=[case.pk]),
        reverse("rights:case_close", args=[case.pk]),
    ]


def test_team_opens_every_measure_page_and_others_get_404_with_an_audit_line(
    tree: Tree, station: Station
):
    case, parts = _full_case(tree, station)
    urls = _measure_urls(case, parts)

    for user in (station.worker, station.head):
        client = client_for(user)
        assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    outsider = client_for(station.other_worker)
    assert [outsider.get(url).status_code for url in urls] == [404] * len(urls)
    assert outsider.post(urls[-2], {"followed_on": days_ago(0), "way": "phone"}).status_code == 404
    denied = AuditEntry.objects.filter(event="access_denied", actor_id=station.other_worker.pk)
    assert denied.count() >= len(urls)


def test_removed_worker_loses_the_measures_at_once(tree: Tree, station: Station):
    case, parts = _full_case(tree, station)

    services.dv_case_assign(actor=station.head, case=case, workers=[station.other_worker])

    former = client_for(station.worker)
    assert former.get(reverse("rights:followup_add", args=[case.pk])).status_code == 404
    assert former.get(reverse("rights:order_issue", args=[parts["order"].pk])).status_code == 404
    assert former.get(f"/api/rights/cases/{case.pk}").status_code == 404
    assert former.get("/api/rights/cases").json()["items"] == []


def test_break_glass_opens_the_case_to_read_but_not_to_record(tree: Tree, station: Station):
    case = _full_case(tree, station)[0]
    services.break_glass_open(actor=station.district_rights, case=case, reason="受害人失联，需核实")
    reader = client_for(station.district_rights)

    page = reader.get(reverse("rights:case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert not page.context["may_change_measures"]
    assert reader.get(f"/api/rights/cases/{case.pk}").status_code == 200
    assert reader.get(reverse("rights:followup_add", args=[case.pk])).status_code == 404
    posted = reader.post(
        f"/api/rights/cases/{case.pk}/followups",
        {"followed_on": str(days_ago(0)), "way": "phone"},
        content_type="application/json",
    )
    assert posted.status_code == 404
    assert not case.followups.filter(author=station.district_rights).exists()


def test_api_lists_my_cases_and_records_an_order_from_application_to_issue(
    tree: Tree, station: Station
):
    mine = dv_case(tree.community_a1, workers=[station.worker])
    dv_case(tree.community_a1, workers=[station.other_worker])
    api = client_for(station.worker)

    listed = api.get("/api/rights/cases").json()
    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert listed["items"][0]["victim"] == str(SHIELDED_NAME)

    applied = api.post(
        f"/api/rights/cases/{mine.pk}/orders",
        {
            "applicant_kind": "federation",
            "court": "历下区人民法院",
            "measures_requested": ["move_out"],
            "applied_on": str(days_ago(1)),
        },
        content_type="application/json",
    )
    assert applied.status_code == 201, applied.content
    order_id = applied.json()["id"]
    accepted = api.post(
        f"/api/rights/orders/{order_id}/events",
        {
            "step": "accept",
            "accepted_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert accepted.status_code == 200, accepted.content
    again = api.post(
        f"/api/rights/orders/{order_id}/events",
        {"step": "accept"},
        content_type="application/json",
    )
    assert again.status_code in (400, 422)
    assert "不能登记受理" in again.json()["detail"]
    issued = api.post(
        f"/api/rights/orders/{order_id}/events",
        {
            "step": "issue",
            "order_number": "(2026)鲁0102民保令9号",
            "measures_granted": ["move_out"],
            "valid_from": str(days_ago(0)),
            "valid_until": str(days_ago(-180)),
        },
        content_type="application/json",
    )
    assert issued.status_code == 200, issued.content
    assert issued.json()["state"] == OrderState.ISSUED
    followup = api.post(
        f"/api/rights/cases/{mine.pk}/followups",
        {"followed_on": str(days_ago(0)), "way": "visit", "note": "已送达保护令"},
        content_type="application/json",
    )
    assert followup.status_code == 201
    detail = api.get(f"/api/rights/cases/{mine.pk}").json()
    assert [event["kind"] for event in detail["orders"][0]["events"]] == [
        "applied",
        "accepted",
        "issued",
    ]
    assert detail["followups"][0]["note"] == "已送达保护令"


def test_api_answers_404_outside_the_team_and_writes_nothing(tree: Tree, station: Station):
    case, parts = _full_case(tree, station)
    outsider = client_for(station.other_worker)

    assert outsider.get(f"/api/rights/cases/{case.pk}").status_code == 404
    step = outsider.post(
        f"/api/rights/orders/{parts['order'].pk}/events",
        {"step": "withdraw", "withdrawn_on": str(days_ago(0))},
        content_type="application/json",
    )
    assert step.status_code == 404
    assert ProtectionOrder.objects.get().state == OrderState.APPLIED
    assert AuditEntry.objects.filter(
        event="access_denied", actor_id=station.other_worker.pk
    ).exists()


def test_case_page_list_and_api_queries_do_not_grow_with_measures(
    tree: Tree, station: Station, django_assert_max_num_queries
):
    for _number in range(3):
        _full_case(tree, station)
    case = _full_case(tree, station)[0]
    worker, district = client_for(station.worker), client_for(station.district_rights)
    pages = [
        # 3 of them write the audited display of the victim's real name (people.rendering)
        (worker, reverse("rights:case_detail", args=[case.pk]), 33),
        (worker, reverse("rights:case_list"), 10),
        (worker, "/api/rights/cases", 10),
        (worker, f"/api/rights/cases/{case.pk}", 23),
        (district, reverse("rights:counts"), 16),
    ]
    for client, url, most in pages:
        client.get(url)  # the first request of a session loads the session and the posts
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
