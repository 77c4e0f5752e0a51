"""Sub-topics: one list for the whole installation, kept on a page by those who classify at the
top unit; renamed, moved while unused, switched off but never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import opinion, user_with_post
from warmhome.opinions import services
from warmhome.opinions.forms import KeywordRuleForm
from warmhome.opinions.models import Subtopic

LIST_URL = reverse("opinions:subtopic_list")


def test_a_sub_topic_is_added_renamed_and_switched_off(personas: Personas) -> None:
    made = services.subtopic_save(actor=personas.district_staff, topic="MARRIAGE", name=" 抚养权 ")

    assert (made.topic, made.name, made.is_active) == ("MARRIAGE", "抚养权", True)
    services.subtopic_save(
        actor=personas.district_staff,
        subtopic=made,
        topic="MARRIAGE",
        name="子女抚养",
        is_active=False,
    )
    made.refresh_from_db()
    assert (made.name, made.is_active) == ("子女抚养", False)
    form = KeywordRuleForm(user=personas.district_staff)
    assert made not in form.fields["subtopic"].queryset  # type: ignore[attr-defined]


def test_the_same_name_twice_under_one_topic_is_refused(personas: Personas) -> None:
    services.subtopic_save(actor=personas.district_staff, topic="MARRIAGE", name="抚养权")

    with pytest.raises(ValidationError, match="已有同名子主题"):
        services.subtopic_save(actor=personas.district_staff, topic="MARRIAGE", name="抚养权")
    # … under another topic it is another sub-topic
    services.subtopic_save(actor=personas.district_staff, topic="RIGHTS", name="抚养权")
    assert Subtopic.objects.filter(name="抚养权").count() == 2


def test_a_sub_topic_in_use_keeps_its_topic(tree: Tree, personas: Personas) -> None:
    used = services.subtopic_save(actor=personas.district_staff, topic="MARRIAGE", name="抚养权")
    given = opinion(tree.community_a1)
    given.topic, given.subtopic = "MARRIAGE", used
    given.save()

    with pytest.raises(ValidationError, match="不能改到其他主题"):
        services.subtopic_save(
            actor=personas.district_staff, subtopic=used, topic="RIGHTS", name="抚养权"
        )


def test_a_blank_name_or_an_unknown_topic_is_refused_in_chinese(personas: Personas) -> None:
    with pytest.raises(ValidationError, match="请填写子主题名称"):
        services.subtopic_save(actor=personas.district_staff, topic="MARRIAGE", name="  ")
    with pytest.raises(ValidationError, match="请选择一个主题"):
        services.subtopic_save(actor=personas.district_staff, topic="NOPE", name="抚养权")


def test_only_those_who_classify_at_the_top_unit_keep_the_list(
    tree: Tree, personas: Personas
) -> None:
    street_classifier = user_with_post(
        "street_classifier", tree.street_a, "district_staff_organisation"
    )

    with pytest.raises(PermissionDenied, match="区级负责分类"):
        services.subtopic_save(actor=street_classifier, topic="MARRIAGE", name="抚养权")
    with pytest.raises(PermissionDenied):
        services.subtopic_save(actor=personas.community_a1_cadre, topic="MARRIAGE", name="抚养权")
    client = Client()
    client.force_login(street_classifier)
    assert client.get(LIST_URL).status_code == 403


def test_the_page_lists_by_topic_adds_and_edits(tree: Tree, personas: Personas) -> None:
    client = Client()
    client.force_login(personas.district_staff)

    added = client.post(LIST_URL, {"topic": "MARRIAGE", "name": "抚养权", "is_active": "on"})
    refused = client.post(LIST_URL, {"topic": "MARRIAGE", "name": "抚养权", "is_active": "on"})
    made = Subtopic.objects.get(name="抚养权")
    edited = client.post(
        reverse("opinions:subtopic_edit", args=[made.pk]), {"topic": "MARRIAGE", "name": "抚养"}
    )
    page = client.get(LIST_URL).content.decode()

    assert added.status_code == 302
    assert refused.status_code == 400
    assert "该主题下已有同名子主题" in refused.content.decode()
    assert edited.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.is_active) == ("抚养", False)
    assert "抚养" in page
    assert "已停用" in page


def test_the_page_reads_every_topic_in_few_queries(
    personas: Personas, django_assert_max_num_queries
) -> None:
    for number in range(12):
        services.subtopic_save(
            actor=personas.district_staff, topic="MARRIAGE", name=f"子主题{number}"
        )
    client = Client()
    client.force_login(personas.district_staff)

    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert response.content.decode().count("子主题1") >= 3  # 子主题1, 子主题10, 子主题11
