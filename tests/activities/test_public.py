"""The phone pages: sign-up and check-in without an account, safe against enumeration."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.signing import TimestampSigner
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.factories import activity, person
from warmhome.activities import services
from warmhome.activities.models import Attendance, SignUp
from warmhome.activities.tokens import QR_SALT, qr_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def test_the_public_list_shows_published_activities_only(tree: Tree):
    activity(tree.community_a1, title="公开的活动")
    activity(tree.community_a1, title="草稿中的活动", state="draft")

    html = Client().get(reverse("activities_public:activity_list")).content.decode()

    assert "公开的活动" in html
    assert "草稿中的活动" not in html


def test_a_draft_has_no_public_page(tree: Tree):
    made = activity(tree.community_a1, state="draft")
    response = Client().get(reverse("activities_public:signup", args=[made.public_code]))
    assert response.status_code == 404


def _result(response) -> str:
    html = response.content.decode()
    start = html.find('data-testid="signup-result"')
    return html[start : html.find("</div>", start)] if start != -1 else ""


def test_a_resident_signs_up_on_her_phone_and_the_answer_is_the_same_in_or_out_of_the_registry(
    tree: Tree,
):
    person(tree.community_a1, name="张秀梅", phone="13912345678")
    made = activity(tree.community_a1)
    url = reverse("activities_public:signup", args=[made.public_code])

    known = Client().post(url, {"name": "张秀梅", "phone": "13912345678"})
    unknown = Client().post(url, {"name": "赵无名", "phone": "13700000000"})

    assert known.context["done"]
    assert unknown.context["done"]
    assert _result(known) == _result(unknown) != ""
    assert SignUp.objects.filter(person__isnull=False).count() == 1
    assert SignUp.objects.filter(person__isnull=True, guest_name="赵无名").count() == 1


def test_a_full_activity_puts_the_resident_on_the_waiting_list(tree: Tree):
    made = activity(tree.community_a1, capacity=1)
    url = reverse("activities_public:signup", args=[made.public_code])
    Client().post(url, {"name": "王秀英", "phone": "13800001111"})

    response = Client().post(url, {"name": "李梅", "phone": "13800002222"})

    assert "候补名单第 1 位" in response.content.decode()


def test_sign_up_to_a_cancelled_activity_says_so(tree: Tree):
    made = activity(tree.community_a1, state="cancelled")
    url = reverse("activities_public:signup", args=[made.public_code])

    response = Client().post(url, {"name": "王秀英", "phone": "13800001111"})

    assert "该活动已取消。" in response.content.decode()
    assert not SignUp.objects.exists()


def test_too_many_attempts_from_one_address_are_slowed_down(tree: Tree, settings):
    made = activity(tree.community_a1)
    url = reverse("activities_public:signup", args=[made.public_code])
    client = Client()
    with (
        mock.patch("warmhome.activities.views_public._per_minute", return_value=3),
        mock.patch("warmhome.core.ratelimit.current_window", return_value=1),
    ):
        answers = [
            client.post(url, {"name": f"试探{index}", "phone": f"1380000{index:04d}"})
            for index in range(5)
        ]

    assert "请求过于频繁，请稍后再试。" in answers[-1].content.decode()
    assert SignUp.objects.count() == 3


def test_check_in_through_a_fresh_qr_link_then_a_second_time_is_refused(tree: Tree):
    made = activity(tree.community_a1)
    services.signup_self(activity=made, name="王秀英", phone="13800001111")
    url = reverse("activities_public:checkin", args=[made.public_code])
    client = Client()

    page = client.get(url, {"t": qr_token(made.public_code)})
    form_token = page.context["form_token"]
    first = client.post(url, {"f": form_token, "name": "王秀英", "phone": "13800001111"})
    second = client.post(url, {"f": form_token, "name": "王秀英", "phone": "13800001111"})

    assert first.context["done"]
    assert "无需重复签到" in second.content.decode()
    assert Attendance.objects.count() == 1


def test_an_expired_qr_code_is_refused_with_a_clear_message(tree: Tree):
    made = activity(tree.community_a1)
    url = reverse("activities_public:checkin", args=[made.public_code])
    old = TimestampSigner(salt=QR_SALT)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 120):
        stale = old.sign(made.public_code)

    response = Client().get(url, {"t": stale})

    assert "二维码已过期，请重新扫描现场屏幕上的二维码。" in response.content.decode()
    assert response.context.get("form_token") is None


def test_a_forged_or_foreign_token_is_refused(tree: Tree):
    made = activity(tree.community_a1)
    other = activity(tree.community_a1)
    url = reverse("activities_public:checkin", args=[made.public_code])

    forged = Client().get(url, {"t": "abc:def:ghi"})
    foreign = Client().get(url, {"t": qr_token(other.public_code)})
    posted = Client().post(url, {"f": "bad", "name": "王秀英", "phone": "13800001111"})

    assert "二维码无效" in forged.content.decode()
    assert "二维码无效" in foreign.content.decode()
    assert "签到页面已过期" in posted.content.decode()
    assert not Attendance.objects.exists()
