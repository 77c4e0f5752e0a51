"""Pages: intake on a phone, the list, correcting and handing on, markup shown inert."""

from unittest import mock

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import opinion
from warmhome.opinions.models import Opinion, OpinionFollowUp
from warmhome.rules.selectors import policy_value


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_representative_submits_and_sees_it_among_her_own(model, representative, tree: Tree):
    client = _client(representative)
    form = client.get(reverse("opinions:opinion_submit"))
    token = form.context["form"].initial["token"]
    data = {
        "channel": "womens_rep",
        "org": tree.community_a1.pk,
        "text": "孩子放学后没人看管，希望社区办四点半课堂",
        "token": token,
    }
    response = client.post(reverse("opinions:opinion_submit"), data)
    assert response.status_code == 302
    again = client.post(reverse("opinions:opinion_submit"), data)
    assert again.status_code == 302
    assert Opinion.objects.filter(submitter=representative).count() == 1
    mine = client.get(reverse("opinions:my_opinions"))
    assert "四点半课堂" in mine.content.decode()


def test_representative_cannot_open_the_list_of_everyone(representative, tree: Tree):
    response = _client(representative).get(reverse("opinions:opinion_list"))
    assert response.status_code in (403, 200)
    if response.status_code == 200:
        assert not response.context["opinions"]


def test_empty_submission_shows_a_chinese_error(model, representative, tree: Tree):
    response = _client(representative).post(
        reverse("opinions:opinion_submit"),
        {"channel": "womens_rep", "org": tree.community_a1.pk, "text": "  "},
    )
    assert response.status_code == 400
    assert "请填写反映内容" in response.content.decode()
    assert not Opinion.objects.exists()


def test_markup_in_a_text_is_shown_inert(personas: Personas, tree: Tree):
    made = opinion(tree.community_a1, '<script>alert("x")</script><img src=x onerror=alert(1)>路灯')
    client = _client(personas.community_a1_cadre)
    for url in (
        reverse("opinions:opinion_detail", args=[made.pk]),
        reverse("opinions:opinion_list"),
    ):
        body = client.get(url).content.decode()
        assert "<script>alert" not in body
        assert "<img src=x" not in body
        assert "&lt;script&gt;" in body or "&lt;img" in body


def test_opinion_list_has_a_bounded_number_of_queries(
    personas: Personas, tree: Tree, django_assert_max_num_queries
):
    for number in range(30):
        opinion(tree.community_a1 if number % 2 else tree.grid_a1, f"路灯坏了第{number}处")
    client = _client(personas.street_a_cadre)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opinions:opinion_list"))
    assert response.status_code == 200
    assert len(response.context["opinions"]) == 30


def test_staff_correct_a_label_and_hand_it_on(personas: Personas, tree: Tree):
    made = opinion(tree.community_a1, "邻居家天天吵架", needs_review=True)
    client = _client(personas.street_a_cadre)
    response = client.post(
        reverse("opinions:opinion_relabel", args=[made.pk]), {"topic": "MARRIAGE"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.topic, made.needs_review) == ("MARRIAGE", False)
    response = client.post(
        reverse("opinions:opinion_assign", args=[made.pk]),
        {"assignee": personas.community_a1_cadre.pk, "request": "请入户了解并调解"},
    )
    assert response.status_code == 302
    followup = OpinionFollowUp.objects.get(opinion=made)
    assert followup.state == "assigned"
    assert followup.due_at is not None
    response = _client(personas.community_a1_cadre).post(
        reverse("opinions:followup_respond", args=[followup.pk]),
        {"outcome": "已调解，双方达成协议", "version": followup.version},
    )
    followup.refresh_from_db()
    assert (followup.state, followup.outcome) == ("done", "已调解，双方达成协议")


def test_street_b_gets_404_for_a_street_a_opinion(personas: Personas, tree: Tree):
    made = opinion(tree.community_a1)
    client = _client(personas.street_b_cadre)
    assert client.get(reverse("opinions:opinion_detail", args=[made.pk])).status_code == 404
    relabel = client.post(reverse("opinions:opinion_relabel", args=[made.pk]), {"topic": "DV"})
    assert relabel.status_code == 404


def test_analysis_page_draws_counts_and_rises(personas: Personas, tree: Tree):
    import datetime

    from django.utils import timezone

    now = timezone.now().replace(day=15, hour=12)
    before = now - datetime.timedelta(days=31)
    for number in range(2):
        opinion(tree.community_a1, f"被打{number}", topic="DV", occurred_at=before)
    for number in range(6):
        opinion(tree.community_a1, f"又被打{number}", topic="DV", occurred_at=now)
    response = _client(personas.district_staff).get(
        reverse("opinions:analysis"),
        {"unit": tree.district.pk, "year": now.year, "month": now.month},
    )
    assert response.status_code == 200
    rises = response.context["overview"].rises
    assert [(rise.street, rise.topic, rise.previous, rise.current) for rise in rises] == [
        (tree.street_a, "DV", 2, 6)
    ]
    assert "opinions-analysis-data" in response.content.decode()


def test_topic_page_groups_near_duplicates(personas: Personas, tree: Tree):
    for _number in range(3):
        opinion(tree.community_a1, "小区东门的路灯坏了很久没人修")
    opinion(tree.community_a1, "希望社区办四点半课堂", topic="CHILD")
    from django.utils import timezone

    today = timezone.localdate()
    response = _client(personas.district_staff).get(
        reverse("opinions:analysis_topic"),
        {"unit": tree.district.pk, "year": today.year, "month": today.month},
    )
    groups = response.context["groups"]
    assert [group.size for group in groups] == [3]


def test_public_site_takes_a_message_without_sign_in(model, tree: Tree):
    client = Client()
    page = client.get(reverse("opinions_public:submit"))
    token = page.context["form"].initial["token"]
    data = {"org": tree.community_a1.pk, "text": "小区路灯坏了很久没人修", "token": token}
    assert client.post(reverse("opinions_public:submit"), data).status_code == 200
    assert client.post(reverse("opinions_public:submit"), data).status_code == 200
    made = Opinion.objects.get()
    assert (made.channel, made.anonymous, made.submitter) == ("public_site", True, None)


def test_public_site_refuses_empty_text(model, tree: Tree):
    response = Client().post(
        reverse("opinions_public:submit"), {"org": tree.community_a1.pk, "text": ""}
    )
    assert response.status_code == 400
    assert "请填写反映内容" in response.content.decode()


def test_batch_import_pages_open_for_staff(personas: Personas):
    client = _client(personas.street_a_cadre)
    assert client.get(reverse("opinions:opinion_import")).status_code == 200
    template = client.get(reverse("opinions:opinion_import_template"))
    assert template.status_code == 200
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_proposal_drafted_from_opinions_of_two_communities_belongs_to_their_street(
    personas: Personas, tree: Tree
):
    from tests.factories import user_with_post

    deputy = user_with_post("deputy_view", tree.district, "representative")
    first = opinion(tree.community_a1, "托育机构太少")
    second = opinion(tree.community_a2, "托育收费太贵")
    response = _client(personas.street_a_cadre).post(
        reverse("opinions:proposal_create"),
        {
            "opinion": [first.pk, second.pk],
            "kind": "suggestion",
            "title": "关于普惠托育的建议",
            "body": "增加普惠托位。",
            "carrier": deputy.pk,
        },
    )
    assert response.status_code == 302
    from warmhome.opinions.models import Proposal

    assert Proposal.objects.get().org == tree.street_a


def test_public_site_slows_down_a_flood_from_one_address(model, tree: Tree):
    cache.clear()
    url = reverse("opinions_public:submit")
    limit = int(policy_value("opinions.public_requests_per_minute"))
    # One window for the whole loop: a minute boundary in the middle would reset the count.
    with mock.patch("warmhome.core.ratelimit.current_window", return_value=1):
        answers = [
            Client().post(url, {"org": tree.community_a1.pk, "text": f"第{number}条反映"})
            for number in range(limit + 1)
        ]
    cache.clear()

    assert answers[-1].status_code == 429
    assert "提交太频繁，请稍后再试。" in answers[-1].content.decode()
    assert Opinion.objects.count() == limit
