"""Help-request pages: list (query count), intake, steps, consultations, statistics, the public
form, and the demo."""

import io
import re
from unittest import mock

import openpyxl
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import help_request, person, petition_category, role, user_with_post
from tests.rights.requests_helpers import legal_volunteer
from warmhome.accounts.models import Post
from warmhome.rights import services_consultations
from warmhome.rights.models import HelpRequest, LegalConsultation

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_masked_requesters_of_the_users_scope_in_few_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    for number in range(6):
        help_request(tree.community_a1, requester_name=f"张{number}梅")
    help_request(tree.community_a1, person=person(tree.community_a1, "王芳"))
    hidden = help_request(tree.community_b1)
    client = _client(personas.street_a_cadre)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("rights:helprequest_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张*" in text
    assert "张0梅" not in text
    assert hidden.number not in text
    for _number in range(6):
        help_request(tree.community_a1)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("rights:helprequest_list")).status_code == 200


def test_consultation_list_in_few_queries(
    tree: Tree, personas: Personas, django_assert_max_num_queries
):
    lawyer = legal_volunteer(tree.district)
    for _number in range(4):
        services_consultations.consultation_record(
            actor=None,
            lawyer=lawyer,
            question="抚养费",
            advice="可调解",
            person=person(tree.community_a1),
        )
    client = _client(personas.community_a1_cadre)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("rights:consultation_list"))
    assert page.status_code == 200
    assert page.content.decode().count("抚养费") == 4


def test_intake_form_registers_and_routes_a_hotline_call(tree: Tree, personas: Personas):
    category = petition_category("labour_rights")
    answer = _client(personas.street_a_cadre).post(
        reverse("rights:helprequest_intake"),
        {
            "channel": "hotline",
            "category": category.pk,
            "requester_name": "陈静",
            "requester_phone": "139 1234 5678",
            "community": tree.community_a2.pk,
            "content": "怀孕被辞退",
        },
    )
    made = HelpRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == made.get_absolute_url()
    assert made.org == tree.community_a2
    assert made.requester_phone == "13912345678"


def test_a_double_click_on_register_registers_the_request_once(tree: Tree, personas: Personas):
    client = _client(personas.street_a_cadre)
    page = client.get(reverse("rights:helprequest_intake")).content.decode()
    key = re.search(r'name="intake_key" value="([^"]+)"', page)
    assert key is not None
    form = {
        "intake_key": key.group(1),
        "channel": "hotline",
        "category": petition_category().pk,
        "requester_name": "陈静",
        "requester_phone": "13912345678",
        "community": tree.community_a2.pk,
        "content": "求助",
    }

    first = client.post(reverse("rights:helprequest_intake"), form)
    second = client.post(reverse("rights:helprequest_intake"), form)

    made = HelpRequest.objects.get()
    assert first["Location"] == second["Location"] == made.get_absolute_url()
    fresh = client.get(reverse("rights:helprequest_intake")).content.decode()
    assert key.group(1) not in fresh  # each page load has its own key


def test_intake_form_shows_the_phone_error_and_saves_nothing(tree: Tree, personas: Personas):
    answer = _client(personas.street_a_cadre).post(
        reverse("rights:helprequest_intake"),
        {
            "channel": "hotline",
            "category": petition_category().pk,
            "requester_name": "陈静",
            "requester_phone": "2345",
            "community": tree.community_a2.pk,
            "content": "求助",
        },
    )
    assert answer.status_code == 200
    assert "手机号" in answer.content.decode() or "固定电话" in answer.content.decode()
    assert not HelpRequest.objects.exists()


def test_steps_on_the_page_and_a_double_submit_answers_clearly(tree: Tree, personas: Personas):
    made = help_request(tree.community_a1)
    client = _client(personas.community_a1_cadre)
    step = reverse("rights:helprequest_step", args=[made.pk])
    first = client.post(step, {"transition": "accept", "version": made.version})
    assert first.status_code == 302
    again = client.post(step, {"transition": "accept", "version": made.version})
    assert again.status_code == 400
    assert "请刷新页面" in again.content.decode()
    assert HelpRequest.objects.get(pk=made.pk).state == "accepted"


def test_detail_of_a_dv_request_offers_to_open_a_dv_case(tree: Tree, personas: Personas):
    worker = user_with_post("req_worker", tree.street_a, "street_cadre")
    Post.objects.create(user=worker, org=tree.street_a, role=role("case_worker"))
    worker.forget_grants()
    victim = person(tree.community_a1)
    made = help_request(tree.community_a1, code="domestic_violence", person=victim)
    page = _client(worker).get(made.get_absolute_url())
    assert f"{reverse('rights:case_open')}?victim_query=%23{victim.pk}" in page.content.decode()
    plain = help_request(tree.community_a1, person=victim)
    assert (
        reverse("rights:case_open")
        not in _client(worker).get(plain.get_absolute_url()).content.decode()
    )


def test_statistics_page_and_excel_show_counts_only(tree: Tree, personas: Personas):
    rights = user_with_post("req_rights", tree.district, "district_staff_rights")
    help_request(tree.community_a1, code="domestic_violence", requester_name="秘密姓名")
    help_request(tree.community_b1, code="labour_rights", channel="visit")
    page = _client(rights).get(reverse("rights:helprequest_stats"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "秘密姓名" not in text
    assert "婚姻家庭" in text
    assert "家庭暴力" in text
    download = _client(rights).get(reverse("rights:helprequest_stats_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    assert ("信访类别", "婚姻家庭", 1) in rows
    assert ("合计", "登记总数", 2) in rows
    assert not any("秘密姓名" in str(cell) for row in rows for cell in row)
    assert (
        _client(personas.community_a1_cadre).get(reverse("rights:helprequest_stats")).status_code
        == 403
    )


def test_public_form_registers_an_online_request_and_is_rate_limited(tree: Tree, settings):
    cache.clear()
    url = reverse("rights_public:helprequest_public")
    data = {
        "category": petition_category("divorce").pk,
        "community": tree.community_b1.pk,
        "requester_name": "刘敏",
        "requester_phone": "13600001111",
        "content": "离婚财产分割",
        "consent": "on",
    }
    answer = Client().post(url, data)
    assert "已收到您的求助" in answer.content.decode()
    made = HelpRequest.objects.get()
    assert (made.channel, made.org, made.taken_by) == ("online", tree.community_b1, None)
    from warmhome.rules.selectors import policy_value

    # One window for the whole loop: a minute boundary in the middle would reset the count.
    with mock.patch("warmhome.core.ratelimit.current_window", return_value=1):
        for _number in range(int(policy_value("activities.public_requests_per_minute")) + 1):
            last = Client().post(url, data)
    assert "请求过于频繁" in last.content.decode()
    cache.clear()


def test_consultation_form_links_a_request(tree: Tree, personas: Personas):
    lawyer = legal_volunteer(tree.district)
    made = help_request(tree.community_a1)
    answer = _client(personas.community_a1_cadre).post(
        reverse("rights:consultation_create"),
        {
            "request_number": made.number,
            "lawyer": lawyer.pk,
            "question": "能否申请法律援助",
            "advice": "符合条件，可到司法所申请",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    consultation = LegalConsultation.objects.get()
    assert consultation.request == made
    assert consultation.org == tree.community_a1
