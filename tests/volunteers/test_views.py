import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Personas, Tree
from tests.factories import person, service_record, volunteer, volunteer_certificate
from warmhome.core.models import AuditEntry
from warmhome.volunteers import services, services_certificates, services_hours
from warmhome.volunteers.models import CertificateCorrection, ServiceRecord, TeamKind, Volunteer

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour))


def test_lists_run_a_fixed_number_of_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    team = services.team_create(
        actor=None, org=tree.street_a, name="队", kind=TeamKind.objects.first()
    )
    for index in range(12):
        made = volunteer(tree.community_a1 if index % 2 else tree.community_a2)
        service_record(made, at(1 + index, 9))
        services.team_member_add(actor=None, team=team, volunteer=made)
    client = client_for(personas.street_a_cadre)

    for name in ("volunteer_list", "record_list", "team_list", "correction_list"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"volunteers:{name}")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("volunteers:team_detail", args=[team.pk])).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(reverse("volunteers:stats")).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("volunteers:recruit"), {"skill": ""})
        assert response.status_code == 200


def test_register_a_volunteer_through_the_page(tree: Tree, personas: Personas):
    someone = person(tree.community_a1)
    client = client_for(personas.community_a1_cadre)

    response = client.post(
        reverse("volunteers:volunteer_create"),
        {
            "person_query": f"#{someone.pk}",
            "org": tree.community_a1.pk,
            "availability": "weekends",
            "skills": "摄影",
            "guardian_consent": "on",
        },
    )

    made = Volunteer.objects.get(person=someone)
    assert response.status_code == 302
    assert made.skills == "摄影"
    again = client.post(
        reverse("volunteers:volunteer_create"),
        {"person_query": f"#{someone.pk}", "org": tree.community_a1.pk, "availability": "weekends"},
    )
    assert "已登记为志愿者" in again.content.decode()


def test_enter_approve_and_correct_hours_through_the_pages(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    community = client_for(personas.community_a1_cadre)
    street = client_for(personas.street_a_cadre)
    form = {
        "org": tree.community_a1.pk,
        "activity_title": "敬老院陪伴",
        "started_at": "2026-03-05T09:00",
        "ended_at": "2026-03-05T11:00",
        "hours": "3",
        "content": "读报",
    }

    refused = community.post(reverse("volunteers:record_create", args=[made.pk]), form)
    assert "不能超过" in refused.content.decode()
    assert not ServiceRecord.objects.exists()

    community.post(reverse("volunteers:record_create", args=[made.pk]), {**form, "hours": "2"})
    record = ServiceRecord.objects.get()
    detail = reverse("volunteers:record_detail", args=[record.pk])
    street.post(detail, {"transition": "approve", "comment": ""})
    street.post(detail, {"transition": "approve", "comment": ""})  # double click
    record.refresh_from_db()
    assert record.state == "approved"
    assert record.version == 1

    bad = street.post(
        detail,
        {
            "started_at": "2026-03-05T09:00",
            "ended_at": "2026-03-05T11:00",
            "hours": "1.5",
            "content": "读报",
            "reason": "",
        },
    )
    assert bad.status_code == 200
    assert record.corrections.count() == 0
    street.post(
        detail,
        {
            "started_at": "2026-03-05T09:00",
            "ended_at": "2026-03-05T11:00",
            "hours": "1.5",
            "content": "读报",
            "reason": "中途离开",
        },
    )
    record.refresh_from_db()
    assert record.hours == Decimal("1.5")
    assert record.corrections.get().reason == "中途离开"
    page = street.get(detail).content.decode()
    assert "中途离开" in page
    assert "审核通过" in page


def test_certificate_pdf_and_volunteer_own_page(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1, user=personas.resident)
    service_record(made, at(1, 9), hours=3)
    issued = services_certificates.volunteer_certificate_issue(
        actor=personas.community_a1_cadre,
        volunteer=made,
        org=tree.community_a1,
        signers=services_certificates.CertificateSigners("王主任", "李干事", "0531-88888888"),
    )
    own = client_for(personas.resident)

    page = own.get(reverse("volunteers:my_page"))
    assert page.status_code == 200
    assert issued.certificate.number in page.content.decode()
    pdf = own.get(reverse("volunteers:my_certificate_pdf", args=[issued.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")

    # Someone else's certificate through the own-page URL: not found.
    other = volunteer_certificate(volunteer(tree.community_a1))
    assert own.get(reverse("volunteers:my_certificate_pdf", args=[other.pk])).status_code == 404

    own.post(
        reverse("volunteers:my_correction_request", args=[issued.pk]), {"message": "少计一小时"}
    )
    correction = CertificateCorrection.objects.get()
    assert correction.requested_by == personas.resident
    staff = client_for(personas.community_a1_cadre)
    staff.post(
        reverse("volunteers:correction_detail", args=[correction.pk]),
        {"decision": "refuse", "comment": "签到记录无误"},
    )
    correction.refresh_from_db()
    assert correction.state == "refused"


def test_own_page_without_a_profile(personas: Personas):
    page = client_for(personas.resident).get(reverse("volunteers:my_page"))

    assert "还没有关联志愿者档案" in page.content.decode()


def test_export_is_audited_scoped_and_masked(tree: Tree, personas: Personas):
    ours = volunteer(tree.community_a1)
    theirs = volunteer(tree.community_b1)
    service_record(ours, at(1, 9))
    service_record(theirs, at(1, 9))
    client = client_for(personas.community_a1_cadre)  # no people.view_sensitive

    response = client.post(reverse("volunteers:export", args=["volunteers"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, *data = rows
    assert header[:3] == ("姓名", "证件类型", "证件号码")
    assert [row[6] for row in data] == [ours.number]
    assert "*" in data[0][2]

    records = client.post(reverse("volunteers:export", args=["records"]) + "?year=2026")
    record_rows = list(
        load_workbook(io.BytesIO(records.content)).active.iter_rows(values_only=True)
    )
    assert len(record_rows) == 2
    assert record_rows[1][4] == ours.number
    assert (
        AuditEntry.objects.filter(event="export", actor_id=personas.community_a1_cadre.pk).count()
        == 2
    )

    street = client_for(personas.street_a_cadre)  # holds people.view_sensitive
    full = street.post(reverse("volunteers:export", args=["volunteers"]))
    full_rows = list(load_workbook(io.BytesIO(full.content)).active.iter_rows(values_only=True))
    assert full_rows[1][2] == ours.person.citizen_id

    assert (
        client_for(personas.resident)
        .post(reverse("volunteers:export", args=["volunteers"]))
        .status_code
        == 403
    )


def test_stats_figures_by_street(tree: Tree, personas: Personas):
    from warmhome.volunteers import selectors

    a = volunteer(tree.community_a1)
    b = volunteer(tree.community_b1)
    volunteer(tree.community_b1)  # registered, never served
    service_record(a, at(1, 9), hours=2)
    service_record(
        a, timezone.make_aware(datetime.datetime(2026, 5, 1, 9)), hours=3, activity_ref="m"
    )
    service_record(b, at(2, 9), hours=4)

    monthly = selectors.hours_by_month_and_street(personas.district_staff, tree.district, 2026)
    by_name = {unit.name: values for unit, values in monthly.rows}
    assert by_name["解放路街道"][2] == 2
    assert by_name["解放路街道"][4] == 3
    assert by_name["千佛山街道"][2] == 4
    assert monthly.month_totals[2] == 6

    street_only = selectors.hours_by_month_and_street(personas.street_a_cadre, tree.district, 2026)
    assert {unit.name: sum(values) for unit, values in street_only.rows}["千佛山街道"] == 0

    overall = selectors.active_volunteers(personas.district_staff, tree.district, 2026)
    assert (overall.registered, overall.active, overall.participation_rate) == (
        3,
        2,
        Decimal("66.7"),
    )
    assert selectors.hours_by_category(personas.district_staff, tree.district, 2026) == [
        ("其他", Decimal(9))
    ]

    page = client_for(personas.district_staff).get(reverse("volunteers:stats"))
    assert page.status_code == 200
    assert "volunteer-stats-data" in page.content.decode()


def test_recruit_and_invite(tree: Tree, personas: Personas):
    from warmhome.notifications.models import Message

    made = volunteer(tree.community_a1, skills="法律", user=personas.resident)
    client = client_for(personas.community_a1_cadre)

    page = client.get(reverse("volunteers:recruit"), {"skill": "法律"})
    assert made.number in page.content.decode()
    client.post(
        reverse("volunteers:recruit") + "?skill=法律",
        {"volunteer": [made.pk], "subject": "招募普法志愿者", "body": "周六"},
    )
    assert Message.objects.filter(recipient=personas.resident, subject="招募普法志愿者").exists()


def test_api_list_detail_and_my_hours(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1, user=personas.resident)
    service_record(made, at(1, 9), hours=2)
    volunteer(tree.community_b1)

    staff = client_for(personas.street_a_cadre)
    listed = staff.get("/api/volunteers/volunteers").json()
    assert [item["id"] for item in listed["items"]] == [made.pk]
    detail = staff.get(f"/api/volunteers/volunteers/{made.pk}").json()
    assert detail["totals"]["all_time"] in ("2.00", 2, "2")
    assert "*" in detail["masked_id"]

    mine = client_for(personas.resident).get("/api/volunteers/me/hours").json()
    assert mine["volunteer"]["id"] == made.pk
    assert len(mine["records"]) == 1
    assert client_for(personas.street_b_cadre).get("/api/volunteers/me/hours").status_code == 404


def test_participation_by_street(tree: Tree, personas: Personas):
    from warmhome.volunteers import selectors

    served = volunteer(tree.community_a1)
    volunteer(tree.community_a2)
    volunteer(tree.community_b1)
    service_record(served, at(1, 9))

    rows = {
        unit.name: (figures.registered, figures.active)
        for unit, figures in selectors.participation_by_street(
            personas.district_staff, tree.district, 2026
        )
    }

    assert rows == {"解放路街道": (2, 1), "千佛山街道": (1, 0)}


def test_pending_hours_and_requests_reach_the_todo_list(tree: Tree, personas: Personas):
    from warmhome.core.todo import items_for

    made = volunteer(tree.community_a1)
    services_hours.service_record_enter(
        actor=personas.community_a1_cadre,
        volunteer=made,
        org=tree.community_a1,
        activity_title="敬老院陪伴",
        started_at=at(3, 9),
        ended_at=at(3, 11),
        hours=Decimal("2"),
        content="读报",
    )

    services_certificates.certificate_correction_request(
        actor=None, volunteer_certificate=volunteer_certificate(made), message="少计"
    )

    titles = [str(item.title) for item in items_for(personas.street_a_cadre)]
    assert "1 条志愿服务时长待审核" in titles
    assert "1 件志愿服务记录证明更正申请待处理" in titles
    assert not [
        t for t in map(str, (i.title for i in items_for(personas.street_b_cadre))) if "志愿" in t
    ]


def test_hours_entered_for_a_platform_activity_stay_within_it(tree: Tree, personas: Personas):
    from tests.factories import activity

    start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(days=2)
    event = activity(
        tree.community_a1,
        state="finished",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        title="敬老院陪伴",
    )
    made = volunteer(tree.community_a1)
    client = client_for(personas.community_a1_cadre)
    local = timezone.localtime(start)
    form = {
        "activity": event.pk,
        "org": tree.community_a1.pk,
        "started_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (local + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "hours": "3",
        "content": "陪伴",
    }

    refused = client.post(reverse("volunteers:record_create", args=[made.pk]), form)
    assert "超出了活动时间" in refused.content.decode()
    ok = {**form, "ended_at": (local + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}
    client.post(reverse("volunteers:record_create", args=[made.pk]), {**ok, "hours": "2"})
    record = ServiceRecord.objects.get()
    assert record.activity_title == "敬老院陪伴"
    assert record.activity_ref == f"activities.Activity:{event.pk}"


def test_update_page_links_her_account(tree: Tree, personas: Personas):
    made = volunteer(tree.community_a1)
    client = client_for(personas.community_a1_cadre)
    form = {"availability": "weekends", "status": "active", "username": personas.resident.username}

    response = client.post(reverse("volunteers:volunteer_update", args=[made.pk]), form)

    made.refresh_from_db()
    assert response.status_code == 302
    assert made.user == personas.resident
    refused = client.post(
        reverse("volunteers:volunteer_update", args=[made.pk]), {**form, "username": "nobody"}
    )
    assert "不在您的管理范围" in refused.content.decode()


def test_hours_entered_by_hand_offer_the_last_years_activities_only(tree: Tree, personas: Personas):
    """All of a district's activities over the years would make a drop-down of tens of
    thousands; older ones are named in the title field."""
    from tests.factories import activity
    from warmhome.activities.models import Activity

    recent = activity(tree.community_a1, state="finished", title="上月普法讲座")
    old = activity(tree.community_a1, state="finished", title="前年普法讲座")
    Activity.objects.filter(pk=old.pk).update(  # a fixture: two years back
        starts_at=timezone.now() - datetime.timedelta(days=730),
        ends_at=timezone.now() - datetime.timedelta(days=730, hours=-2),
    )
    page = client_for(personas.street_a_cadre).get(
        reverse("volunteers:record_create", args=[volunteer(tree.community_a1).pk])
    )

    assert recent.title in page.content.decode()
    assert old.title not in page.content.decode()
