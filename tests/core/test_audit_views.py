"""The audit page: scoped search for audit administrators, and a logged Excel export."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import Personas, Tree
from tests.factories import user_with_post
from warmhome.core.audit.chain import append
from warmhome.core.models import AuditEntry

pytestmark = pytest.mark.django_db

LIST = reverse("core:audit_list")
EXPORT = reverse("core:audit_export")


@pytest.fixture(autouse=True)
def _no_second_factor(settings: object) -> None:
    settings.WARMHOME_REQUIRE_2FA = False  # type: ignore[attr-defined]


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def entry(**fields: object) -> AuditEntry:
    fields.setdefault("kind", AuditEntry.Kind.SECURITY)
    return append(**fields)


def seqs_on(response: object) -> set[int]:
    return {entry.seq for entry in response.context["entries"]}  # type: ignore[attr-defined]


def test_district_auditor_lists_entries_of_every_organisation_newest_first(
    tree: Tree, personas: Personas, django_assert_max_num_queries: object
) -> None:
    for n in range(60):
        entry(event="login", org_path=tree.street_b.path if n % 2 else "", detail={"n": n})
    client = client_for(personas.audit_admin)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(LIST)
    assert response.status_code == 200
    shown = [entry.seq for entry in response.context["entries"]]
    assert len(shown) == 50
    assert shown == sorted(shown, reverse=True)
    assert response.context["is_paginated"]
    assert "审计日志" in response.content.decode()


def test_filters_by_user_model_record_kind_event_and_dates(tree: Tree, personas: Personas) -> None:
    wanted = entry(
        kind=AuditEntry.Kind.UPDATE,
        actor_username="street_a",
        model_label="orgs.OrgUnit",
        object_pk=str(tree.street_a.pk),
        org_path=tree.street_a.path,
    )
    entry(kind=AuditEntry.Kind.UPDATE, actor_username="street_b", model_label="orgs.OrgUnit")
    entry(kind=AuditEntry.Kind.SECURITY, event="login", actor_username="street_a")
    client = client_for(personas.audit_admin)
    today = timezone.localdate()
    cases = [
        {"user": "street_a", "kind": "update"},
        {"model_label": "orgs.OrgUnit", "object_pk": str(tree.street_a.pk), "kind": "update"},
        {
            "user": "street_a",
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
            "kind": "update",
        },
    ]
    for params in cases:
        assert seqs_on(client.get(LIST, params)) == {wanted.seq}, params
    logins = seqs_on(client.get(LIST, {"event": "login", "user": "street_a"}))
    assert logins
    assert wanted.seq not in logins
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    # only this test's entries: the fixtures' own may date from yesterday around midnight
    assert wanted.seq not in seqs_on(client.get(LIST, {"date_to": yesterday}))


def test_street_auditor_sees_only_her_streets_entries(tree: Tree, personas: Personas) -> None:
    auditor = user_with_post("street_a_auditor", tree.street_a, "audit_admin")
    own = entry(event="access_denied", org_path=tree.community_a1.path)
    other = entry(event="access_denied", org_path=tree.street_b.path)
    system = entry(event="login")
    shown = seqs_on(client_for(auditor).get(LIST))
    assert own.seq in shown
    assert other.seq not in shown
    assert system.seq not in shown


def test_user_without_audit_view_gets_404_and_the_attempt_is_logged(personas: Personas) -> None:
    response = client_for(personas.street_a_cadre).get(LIST)
    assert response.status_code == 404
    denied = AuditEntry.objects.filter(event="access_denied").latest("seq")
    assert denied.actor_id == personas.street_a_cadre.pk
    assert denied.detail["action"] == "audit.view"


def test_start_date_after_end_date_shows_a_chinese_error_and_keeps_the_input(
    personas: Personas,
) -> None:
    entry(event="login")
    response = client_for(personas.audit_admin).get(
        LIST, {"date_from": "2026-03-01", "date_to": "2026-02-01", "user": "someone"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "起始日期 2026-03-01 晚于截止日期 2026-02-01" in page
    assert 'value="someone"' in page
    assert 'value="2026-03-01"' in page
    assert seqs_on(response) == set()


def test_malformed_date_shows_a_chinese_error(personas: Personas) -> None:
    response = client_for(personas.audit_admin).get(LIST, {"date_from": "去年"})
    assert "起始日期格式不正确" in response.content.decode()
    assert 'value="去年"' in response.content.decode()


def test_pagination_keeps_the_filter(personas: Personas) -> None:
    for _ in range(55):
        entry(event="logout", actor_username="paged")
    response = client_for(personas.audit_admin).get(LIST, {"user": "paged"})
    assert "user=paged&amp;page=2" in response.content.decode()
    second = client_for(personas.audit_admin).get(LIST, {"user": "paged", "page": 2})
    assert len(second.context["entries"]) == 5


# --- export ---------------------------------------------------------------------------------


def _rows(response: object) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(response.content))  # type: ignore[attr-defined]
    return list(book.active.iter_rows(values_only=True))


def test_export_gives_the_filtered_entries_as_excel_and_is_itself_logged(
    tree: Tree, personas: Personas
) -> None:
    wanted = entry(event="lockout", actor_username='=HYPERLINK("http://evil")')
    entry(event="login", actor_username="other")
    response = client_for(personas.audit_admin).get(EXPORT, {"event": "lockout"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert rows[0][0] == "序号"
    lockouts = [row for row in rows[1:] if row[0] == wanted.seq]
    assert len(lockouts) == 1
    assert lockouts[0][2] == '\'=HYPERLINK("http://evil")'  # never a live formula
    assert all(row[5] == "账号锁定" for row in rows[1:])
    logged = AuditEntry.objects.filter(event="export").latest("seq")
    assert logged.actor_id == personas.audit_admin.pk
    assert logged.detail["what"] == "core.AuditEntry"
    assert logged.detail["rows"] == len(rows) - 1
    assert logged.detail["filters"] == {"event": "lockout"}


def test_export_needs_audit_export_not_just_audit_view(tree: Tree, personas: Personas) -> None:
    viewer = user_with_post("viewer_only", tree.district, "audit_admin")
    role = viewer.current_posts()[0].role
    role.actions = ["audit.view"]
    role.save()
    viewer.forget_grants()
    response = client_for(viewer).get(EXPORT)
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(event="export").exists()
    assert "导出 Excel" not in client_for(viewer).get(LIST).content.decode()


def test_export_with_bad_filter_goes_back_to_the_list_with_the_error(personas: Personas) -> None:
    client = client_for(personas.audit_admin)
    response = client.get(EXPORT, {"date_from": "2026-03-01", "date_to": "2026-02-01"}, follow=True)
    assert "晚于截止日期" in response.content.decode()
    assert not AuditEntry.objects.filter(event="export").exists()


def test_export_too_large_is_refused_with_a_chinese_message(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("warmhome.core.audit.views.EXPORT_MAX_ROWS", 1)
    entry(event="login")
    entry(event="login")
    response = client_for(personas.audit_admin).get(EXPORT, follow=True)
    assert "超过单次导出上限 1 条，请缩小查询范围" in response.content.decode()
    assert not AuditEntry.objects.filter(event="export").exists()


def test_street_auditors_export_holds_only_her_streets_entries(tree: Tree) -> None:
    auditor = user_with_post("street_a_exporter", tree.street_a, "audit_admin")
    own = entry(event="access_denied", org_path=tree.community_a1.path)
    other = entry(event="access_denied", org_path=tree.street_b.path)
    system = entry(event="login")
    exported = {row[0] for row in _rows(client_for(auditor).get(EXPORT))[1:]}
    assert own.seq in exported
    assert not {other.seq, system.seq} & exported


def test_audit_page_offers_the_integrity_check_which_starts_a_job(client, personas, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(personas.audit_admin)

    page = client.get(LIST).content.decode()
    response = client.post(reverse("core:job_audit_verify"))

    assert 'data-testid="audit-verify"' in page
    assert response.status_code == 302
    assert "/work/jobs/" in response["Location"]
