import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import activity, person
from warmhome.activities import services
from warmhome.activities.models import Activity, Attendance, SignUp, SignUpStatus
from warmhome.core.models import AuditEntry
from warmhome.people.services import person_shield

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_the_streets_activities_with_a_bounded_number_of_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    for index in range(20):
        activity(tree.community_a1 if index % 2 else tree.community_a2)
    activity(tree.community_b1, title="另一条街道的活动")
    client = _client(personas.street_a_cadre)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("activities:activity_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["activities"]) == 20
    assert "另一条街道的活动" not in html


def test_list_filters_by_state_and_kind(tree: Tree, personas: Personas):
    activity(tree.community_a1, title="草稿活动", state="draft")
    activity(tree.community_a1, title="沙龙活动", kind_code="salon")
    client = _client(personas.community_a1_cadre)

    drafts = client.get(reverse("activities:activity_list"), {"state": "draft"})
    salons = client.get(reverse("activities:activity_list"), {"kind": "salon"})

    assert [a.title for a in drafts.context["activities"]] == ["草稿活动"]
    assert [a.title for a in salons.context["activities"]] == ["沙龙活动"]


def test_a_cadre_creates_an_activity_with_a_cover_photo(
    tree: Tree, personas: Personas, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    starts = timezone.localtime() + datetime.timedelta(days=2)
    client = _client(personas.community_a1_cadre)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "org": tree.community_a1.pk,
            "kind": Activity._meta.get_field("kind").related_model.objects.get(code="training").pk,
            "title": "执委业务培训",
            "venue": "社区会议室",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "30",
            "cover": SimpleUploadedFile("cover.png", buffer.getvalue(), content_type="image/png"),
        },
    )

    made = Activity.objects.get(title="执委业务培训")
    assert response.status_code == 302
    assert made.state == "draft"
    assert made.cover.name.endswith(".png")


def test_a_cover_that_is_not_an_image_is_refused(tree: Tree, personas: Personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    starts = timezone.localtime() + datetime.timedelta(days=2)
    client = _client(personas.community_a1_cadre)

    response = client.post(
        reverse("activities:activity_create"),
        {
            "org": tree.community_a1.pk,
            "kind": Activity._meta.get_field("kind").related_model.objects.get(code="study").pk,
            "title": "学习",
            "venue": "会议室",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "0",
            "cover": SimpleUploadedFile("cover.png", b"not a picture", content_type="image/png"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["cover"]
    assert not Activity.objects.exists()


def test_the_detail_page_draws_a_shielded_person_masked(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    victim = person(tree.community_a1, "张秀梅")
    services.signup_create(actor=None, activity=made, person=victim)
    person_shield(actor=None, person=victim, reason="家暴案件")

    response = _client(personas.community_a1_cadre).get(
        reverse("activities:activity_detail", args=[made.pk])
    )

    html = response.content.decode()
    assert "张秀梅" not in html
    assert "（受保护人员）" in html


def test_staff_find_a_person_and_sign_her_up_then_cancel(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, capacity=1)
    resident = person(tree.community_a1, "李红梅")
    client = _client(personas.community_a1_cadre)

    found = client.get(reverse("activities:activity_detail", args=[made.pk]), {"q": "李红梅"})
    client.post(reverse("activities:activity_signup", args=[made.pk]), {"person": resident.pk})
    signup = SignUp.objects.get(activity=made)
    client.post(reverse("activities:signup_cancel", args=[signup.pk]))

    assert [person.pk for person, _shown in found.context["found"]] == [resident.pk]
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED


def test_a_refused_sign_up_shows_the_reason(tree: Tree, personas: Personas):
    made = activity(tree.community_a1, state="cancelled")
    client = _client(personas.community_a1_cadre)

    response = client.post(
        reverse("activities:activity_signup", args=[made.pk]),
        {"person": person(tree.community_a1).pk},
        follow=True,
    )

    assert "该活动已取消，不能报名或签到。" in response.content.decode()


def test_the_organiser_ticks_and_checks_out_from_the_roster(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_create(actor=None, activity=made, person=person(tree.community_a1))
    client = _client(personas.community_a1_cadre)

    client.post(reverse("activities:signup_tick", args=[signup.pk]))
    attendance = Attendance.objects.get(signup=signup)
    again = client.post(reverse("activities:signup_tick", args=[signup.pk]), follow=True)
    client.post(reverse("activities:attendance_check_out", args=[attendance.pk]))

    assert "无需重复签到" in again.content.decode()
    attendance.refresh_from_db()
    assert attendance.checked_out_at is not None


def test_the_workflow_buttons_move_the_activity_and_a_stale_page_is_refused(
    tree: Tree, personas: Personas
):
    made = activity(tree.community_a1, state="draft")
    client = _client(personas.community_a1_cadre)
    url = reverse("activities:activity_transition", args=[made.pk])

    client.post(url, {"transition": "publish", "version": made.version})
    stale = client.post(url, {"transition": "publish", "version": made.version}, follow=True)

    made.refresh_from_db()
    assert made.state == "published"
    assert "请刷新页面" in stale.content.decode()


def test_the_check_in_screen_serves_a_fresh_qr_svg_and_loads_its_script(
    tree: Tree, personas: Personas
):
    made = activity(tree.community_a1)
    client = _client(personas.community_a1_cadre)

    screen = client.get(reverse("activities:checkin_screen", args=[made.pk]))
    qr = client.get(reverse("activities:checkin_qr", args=[made.pk]))

    assert "activities_checkin_screen.js" in screen.content.decode()
    assert "<script>" not in screen.content.decode()
    assert qr["Content-Type"] == "image/svg+xml"
    assert "no-cache" in qr["Cache-Control"] or "max-age=0" in qr["Cache-Control"]
    assert qr.content.startswith(b"<?xml")


def test_the_attendee_export_is_audited_and_masks_a_shielded_person(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    victim = person(tree.community_a1, "张秀梅")
    services.signup_create(actor=None, activity=made, person=victim)
    services.signup_create(actor=None, activity=made, person=person(tree.community_a1, "李红"))
    person_shield(actor=None, person=victim, reason="家暴案件")

    response = _client(personas.community_a1_cadre).get(
        reverse("activities:attendee_export", args=[made.pk])
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "（受保护人员）" in names
    assert "李红" in names
    assert "张秀梅" not in names
    assert AuditEntry.objects.filter(event="export", detail__what="activities.SignUp").exists()


def test_the_sign_in_sheet_is_a_word_document_without_the_shielded_name(
    tree: Tree, personas: Personas
):
    import docx

    made = activity(tree.community_a1)
    victim = person(tree.community_a1, "张秀梅")
    services.signup_create(actor=None, activity=made, person=victim)
    person_shield(actor=None, person=victim, reason="家暴案件")

    response = _client(personas.community_a1_cadre).get(
        reverse("activities:sign_in_sheet", args=[made.pk])
    )

    document = docx.Document(io.BytesIO(response.content))
    text = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "（受保护人员）" in text
    assert "张秀梅" not in text
    assert AuditEntry.objects.filter(
        event="export", detail__what="activities.sign_in_sheet"
    ).exists()


def test_a_resident_without_export_cannot_download_the_list(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    response = _client(personas.resident).get(reverse("activities:attendee_export", args=[made.pk]))
    assert response.status_code == 404


def test_the_summary_page_saves_text_and_a_photo(
    tree: Tree, personas: Personas, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    made = activity(tree.community_a1, state="finished")

    _client(personas.community_a1_cadre).post(
        reverse("activities:activity_summary", args=[made.pk]),
        {
            "summary": "活动圆满完成。",
            "photos": SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg"),
            "caption": "合影",
        },
    )

    made.refresh_from_db()
    assert made.summary == "活动圆满完成。"
    assert made.photos.get().caption == "合影"


def test_the_detail_page_costs_the_same_queries_for_few_or_many_sign_ups(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    made = activity(tree.community_a1)
    for index in range(25):
        signup = services.signup_create(actor=None, activity=made, person=person(tree.community_a1))
        if index % 2:
            services.attendance_tick(actor=None, signup=signup)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")
    client = _client(personas.community_a1_cadre)

    with django_assert_max_num_queries(25):
        response = client.get(reverse("activities:activity_detail", args=[made.pk]))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 26


def test_staff_match_a_guest_to_the_registry(tree: Tree, personas: Personas):
    made = activity(tree.community_a1)
    signup = services.signup_self(activity=made, name="王秀", phone="13800001111")
    resident = person(tree.community_a1, name="王秀英")
    client = _client(personas.community_a1_cadre)

    page = client.get(reverse("activities:signup_link", args=[signup.pk]))
    client.post(reverse("activities:signup_link", args=[signup.pk]), {"person": resident.pk})

    assert [found.pk for found, _shown in page.context["found"]] == [resident.pk]
    signup.refresh_from_db()
    assert signup.person == resident
