"""A DV case opens only to its team; everyone else meets counts, or break-glass."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import dv_case
from tests.rights.conftest import Station
from warmhome.core.models import AuditEntry
from warmhome.notifications.models import Message
from warmhome.rights import services
from warmhome.rights.models import BreakGlassAccess, DvCase


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_assigned_worker_and_head_see_the_case(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])

    for user in (station.worker, station.head):
        assert list(DvCase.objects.visible_to(user, "rights.view")) == [case]
        response = client_for(user).get(reverse("rights:case_detail", args=[case.pk]))
        assert response.status_code == 200
        assert "多次遭受殴打" in response.content.decode()


def test_everyone_else_gets_404_and_sees_counts_only(
    tree: Tree, station: Station, personas: Personas
):
    case = dv_case(tree.community_a1, workers=[station.worker])
    url = reverse("rights:case_detail", args=[case.pk])

    for user in (station.district_rights, personas.system_admin, station.other_worker):
        assert not DvCase.objects.visible_to(user, "rights.view").exists()
        assert client_for(user).get(url).status_code == 404
        listed = client_for(user).get(reverse("rights:case_list"))
        assert case.number not in listed.content.decode()
    assert AuditEntry.objects.filter(
        event="access_denied", actor_id=station.other_worker.pk
    ).exists()

    counts = client_for(station.district_rights).get(reverse("rights:counts"))
    assert counts.status_code == 200
    assert counts.context["totals"]["total"] == 1
    assert case.number not in counts.content.decode()
    assert client_for(personas.system_admin).get(reverse("rights:counts")).status_code == 403


def test_removed_worker_loses_access_at_once(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])

    services.dv_case_assign(actor=station.head, case=case, workers=[station.other_worker])

    url = reverse("rights:case_detail", args=[case.pk])
    assert client_for(station.worker).get(url).status_code == 404
    assert client_for(station.other_worker).get(url).status_code == 200


def test_break_glass_needs_a_reason_notifies_the_head_is_audited_and_expires(
    tree: Tree, station: Station
):
    case = dv_case(tree.community_a1, workers=[station.worker])
    intruder = client_for(station.district_rights)
    glass = reverse("rights:break_glass", args=[case.pk])

    empty = intruder.post(glass, {"reason": "  "})
    assert empty.status_code == 200
    assert not BreakGlassAccess.objects.exists()

    response = intruder.post(glass, {"reason": "受害人失联，需核实联系方式"})
    assert response.status_code == 302
    assert intruder.get(reverse("rights:case_detail", args=[case.pk])).status_code == 200
    message = Message.objects.get(recipient=station.head)
    assert case.number in message.subject
    assert not Message.objects.filter(recipient=station.worker).exists()
    assert AuditEntry.objects.filter(
        event="sensitive_read", actor_id=station.district_rights.pk, detail__fields=["break_glass"]
    ).exists()
    report = client_for(station.head).get(reverse("rights:break_glass_report"))
    assert "受害人失联" in report.content.decode()
    assert client_for(station.worker).get(reverse("rights:break_glass_report")).status_code == 200
    assert (
        not client_for(station.worker)
        .get(reverse("rights:break_glass_report"))
        .context["object_list"]
    )

    BreakGlassAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert intruder.get(reverse("rights:case_detail", args=[case.pk])).status_code == 404


def test_break_glass_refused_without_the_action(tree: Tree, station: Station, personas: Personas):
    case = dv_case(tree.community_a1)

    response = client_for(personas.system_admin).get(reverse("rights:break_glass", args=[case.pk]))

    assert response.status_code == 404


def test_narrative_history_and_abuser_are_encrypted_at_rest(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, abuser_name="王大勇", history="去年曾报警")
    services.addendum_add(actor=station.head, case=case, text="补充：右臂伤情")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM rights_dvcase WHERE id = %s", [case.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT * FROM rights_addendum")
        stored += " ".join(str(value) for value in cursor.fetchone())

    for plain in ("多次遭受殴打", "王大勇", "去年曾报警", "右臂伤情"):
        assert plain not in stored
    assert DvCase.objects.get(pk=case.pk).narrative == "受理陈述：多次遭受殴打"


def test_case_list_shows_no_name_or_address_and_runs_few_queries(
    tree: Tree, station: Station, django_assert_max_num_queries
):
    cases = [dv_case(tree.community_a1, workers=[station.worker]) for _ in range(8)]
    for case in cases:
        case.victim.residence_address = "历下区某路 1 号"
        case.victim.save()

    head, district = client_for(station.head), client_for(station.district_rights)
    with django_assert_max_num_queries(20):
        response = head.get(reverse("rights:case_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["object_list"]) == 8
    assert "某路" not in html
    for case in cases:
        assert case.victim.shielded_name not in html
    with django_assert_max_num_queries(20):
        assert head.get(reverse("rights:break_glass_report")).status_code == 200
    with django_assert_max_num_queries(20):
        assert district.get(reverse("rights:counts")).status_code == 200


@pytest.mark.parametrize("action", ["rights.view", "rights.change", "rights.supervise"])
def test_addenda_and_assessments_follow_their_case(tree: Tree, station: Station, action: str):
    from warmhome.rights.models import Addendum

    case = dv_case(tree.community_a1, workers=[station.worker])
    services.addendum_add(actor=station.worker, case=case, text="补充")

    assert Addendum.objects.visible_to(station.head, action).count() == 1
    assert Addendum.objects.visible_to(station.other_worker, action).count() == 0


def test_an_open_grant_is_not_asked_for_twice(tree: Tree, station: Station):
    case = dv_case(tree.community_a1, workers=[station.worker])
    intruder = client_for(station.district_rights)
    glass = reverse("rights:break_glass", args=[case.pk])
    intruder.post(glass, {"reason": "受害人失联，需核实"})

    response = intruder.post(glass, {"reason": "再次查阅"})

    assert response.status_code == 302
    assert BreakGlassAccess.objects.count() == 1
