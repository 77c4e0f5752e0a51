"""Pages of assistance and the relief fund: lists with bounded queries, the approval path,
evidence checks, reports and the public-disclosure list."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.assistance.conftest import (
    Path,
    Relief,
    approve_at_district,
    file,
    single_mother,
    single_mother_category,
    to_district,
)
from tests.conftest import Tree
from tests.factories import person
from warmhome.assistance import services, services_fund
from warmhome.assistance.models import Evidence, ReliefApplication
from warmhome.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _paid(relief: Relief, path: Path, amount: str = "2000.00", **values) -> ReliefApplication:
    application = approve_at_district(
        to_district(file(relief, path.community, amount, **values), path), path
    )
    services_fund.application_disburse(
        actor=path.finance, application=application, method="transfer", voucher_number="PZ-1"
    )
    return application


def test_application_list_has_a_bounded_number_of_queries(
    relief: Relief, path: Path, tree: Tree, django_assert_max_num_queries
):
    for _number in range(20):
        file(
            relief,
            path.community,
            "100.00",
            person=single_mother(tree.community_a1),
            household=None,
        )
    client = _client(path.street)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assistance:application_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 20


def test_plan_list_has_a_bounded_number_of_queries(
    relief: Relief, path: Path, tree: Tree, django_assert_max_num_queries
):
    for _number in range(20):
        services.plan_open(
            actor=path.community,
            person=single_mother(tree.community_a1),
            category=single_mother_category(),
            helper=path.community,
            needs="生活困难",
        )
    client = _client(path.street)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assistance:plan_list"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 20


def test_budget_and_level_lists_have_a_bounded_number_of_queries(
    relief: Relief, path: Path, tree: Tree, django_assert_max_num_queries
):
    for _number in range(10):
        file(relief, path.community, "100.00", person=relief.person)
    district, street = _client(path.district), _client(path.street)
    with django_assert_max_num_queries(12):
        assert district.get(reverse("assistance:budget_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert street.get(reverse("assistance:level_list")).status_code == 200


def test_the_approval_path_through_the_pages(relief: Relief, path: Path):
    community = _client(path.community)
    response = community.post(
        reverse("assistance:application_create"),
        {
            "person": f"#{relief.person.pk}",
            "fund": relief.fund.pk,
            "hardship": "illness",
            "description": "住院",
            "amount_requested": "3000.00",
            "evidence": SimpleUploadedFile("诊断证明.pdf", b"%PDF-1.4 x", "application/pdf"),
        },
    )
    application = ReliefApplication.objects.get()
    assert response.status_code == 302
    assert application.household == relief.household
    assert Evidence.objects.filter(application=application).count() == 1

    def step(client: Client, name: str, **data) -> None:
        application.refresh_from_db()
        answer = client.post(
            reverse("assistance:application_transition", args=[application.pk]),
            {"transition": name, "version": application.version, **data},
        )
        assert answer.status_code == 302, answer.content.decode()

    step(community, "community_submit")
    step(_client(path.street), "street_forward")
    detail = _client(path.district).get(application.get_absolute_url()).content.decode()
    assert "本年度已获救助" in detail
    step(
        _client(path.district),
        "district_approve",
        amount_approved="2800.00",
        meeting_ref="会议1号",
        attendees="主席",
        decision="同意",
    )
    step(_client(path.finance), "disburse", method="cash", voucher_number="PZ-7")
    application.refresh_from_db()
    assert application.state == "paid"
    html = _client(path.street).get(application.get_absolute_url()).content.decode()
    assert "PZ-7" in html
    assert "发放" in html


def test_a_stale_decision_is_refused_with_a_clear_message(relief: Relief, path: Path):
    application = to_district(file(relief, path.community), path)
    client = _client(path.district)
    response = client.post(
        reverse("assistance:application_transition", args=[application.pk]),
        {
            "transition": "district_approve",
            "version": application.version - 1,
            "amount_approved": "100",
            "meeting_ref": "1",
            "attendees": "1",
            "decision": "1",
        },
    )
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()


def test_a_refused_application_shows_the_reason(relief: Relief, path: Path):
    _paid(relief, path, "5000.00")
    response = _client(path.community).post(
        reverse("assistance:application_create"),
        {
            "person": f"#{relief.person.pk}",
            "fund": relief.fund.pk,
            "hardship": "living",
            "description": "生活困难",
            "amount_requested": "4000.00",
        },
    )
    assert response.status_code == 200
    assert "超过个人年度救助上限" in response.content.decode()


def test_evidence_must_be_what_it_claims_to_be(relief: Relief, path: Path):
    application = file(relief, path.community)
    response = _client(path.community).post(
        reverse("assistance:evidence_upload", args=[application.pk]),
        {"file": SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in response.content.decode()
    response = _client(path.community).post(
        reverse("assistance:evidence_upload", args=[application.pk]),
        {"file": SimpleUploadedFile("证明.exe", b"MZ", "application/octet-stream")},
    )
    assert "只能上传 PDF、JPG 或 PNG" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_fund_use_report_and_its_downloads_are_audited(relief: Relief, path: Path):
    _paid(relief, path, "2000.00", category=single_mother_category())
    client = _client(path.district)
    page = client.get(reverse("assistance:fund_use"))
    assert "2,000.00" in page.content.decode()
    assert "单亲特困母亲" in page.content.decode()
    assert "解放路街道" in page.content.decode()
    workbook = client.get(reverse("assistance:fund_use_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert any("2000" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    word = client.get(reverse("assistance:fund_use_docx"))
    assert word.status_code == 200
    assert word.content[:2] == b"PK"
    exports = AuditEntry.objects.filter(event="export").values_list("detail__what", flat=True)
    assert {"assistance.fund_use_xlsx", "assistance.fund_use_docx"} <= set(exports)


def test_the_public_notice_masks_names_and_shows_no_identifiers(
    relief: Relief, path: Path, tree: Tree
):
    mother = person(tree.community_a1, "王秀兰")
    mother.categories.add(single_mother_category())
    _paid(relief, path, "1000.00", person=mother, household=None)
    html = _client(path.district).get(reverse("assistance:public_notice")).content.decode()
    assert "王*" in html
    assert "王秀兰" not in html
    assert mother.citizen_id[-4:] not in html
    assert mother.phone[-4:] not in html
    workbook = _client(path.district).get(reverse("assistance:public_notice_xlsx"))
    values = [
        str(cell.value)
        for row in openpyxl.load_workbook(io.BytesIO(workbook.content)).active.iter_rows()
        for cell in row
    ]
    assert "王*" in " ".join(values)
    assert "王秀兰" not in " ".join(values)


def test_the_household_timeline_shows_relief_only_to_assistance_viewers(
    relief: Relief, path: Path, tree: Tree
):
    from tests.factories import user_with_post

    _paid(relief, path, "1000.00")
    url = reverse("people:household_detail", args=[relief.household.pk])
    html = _client(path.community).get(url).content.decode()
    assert "获得救助金 1,000.00 元" in html
    family_staff = user_with_post("family", tree.district, "district_staff_family")
    assert "获得救助金" not in _client(family_staff).get(url).content.decode()


def test_a_budget_transfer_through_the_page(relief: Relief, path: Path, tree: Tree):
    response = _client(path.district).post(
        reverse("assistance:budget_move", args=[relief.budget.pk]),
        {"target_org": tree.street_a.pk, "amount": "5000.00", "decision_ref": "历妇发3号"},
    )
    assert response.status_code == 302
    relief.budget.refresh_from_db()
    assert str(relief.budget.amount) == "95000.00"


def test_a_shielded_persons_name_appears_in_no_assistance_list_or_page(
    relief: Relief, path: Path, tree: Tree
):
    from warmhome.people.lists import registered_person_lists
    from warmhome.people.services import household_create, person_shield

    victim = person(tree.community_a1, "赵秀英")
    victim.categories.add(single_mother_category())
    household = household_create(actor=None, org=tree.community_a1, head=victim)
    application = _paid(relief, path, "800.00", person=victim, household=household)
    plan = services.plan_open(
        actor=path.community,
        person=victim,
        category=single_mother_category(),
        helper=path.community,
        needs="安全帮扶",
    )
    person_shield(actor=None, person=victim, reason="反家暴个案")
    for name, source in registered_person_lists().items():
        if name.startswith("assistance."):
            rows = [str(row) for row in source(path.district)]
            assert rows, name
            assert all("赵秀英" not in row for row in rows), name
    client = _client(path.district)
    for url in (
        reverse("assistance:application_list"),
        application.get_absolute_url(),
        reverse("assistance:plan_list"),
        plan.get_absolute_url(),
        reverse("assistance:public_notice"),
        reverse("assistance:level_list"),
    ):
        assert "赵秀英" not in client.get(url).content.decode(), url


def test_applications_due_appear_in_the_deciders_to_do(relief: Relief, path: Path):
    from django.utils import timezone

    from warmhome.core.todo import items_for

    application = to_district(file(relief, path.community), path)
    ReliefApplication.objects.filter(pk=application.pk).update(due_at=timezone.localdate())
    titles = [str(item.title) for item in items_for(path.district)]
    assert any(str(application) in title for title in titles)
    assert not any(str(application) in str(item.title) for item in items_for(path.community))
