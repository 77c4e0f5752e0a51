"""Intake: every channel through one service, classified on the way in; bad input refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Personas, Tree
from tests.factories import opinion
from warmhome.opinions import services
from warmhome.opinions.models import LabelSource, Opinion
from warmhome.opinions.sources import Channel, get_channel, register_channel


def test_submitted_opinion_is_classified_with_a_confidence(model, personas: Personas, tree: Tree):
    made = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="丈夫喝酒后经常动手打人，我不敢报警",
        org=tree.community_a1,
    )
    assert made.topic == "DV"
    assert 0 < made.confidence <= 1
    assert made.label_source == LabelSource.MODEL
    assert made.model_version == model


def test_text_without_chinese_is_other_and_to_be_checked(model, personas: Personas, tree: Tree):
    made = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="The street lamp is broken",
        org=tree.community_a1,
    )
    assert (made.topic, made.confidence, made.needs_review) == ("OTHER", 0.0, True)


def test_keyword_rule_of_the_district_wins_over_the_model(model, personas: Personas, tree: Tree):
    rule = services.keyword_rule_save(
        actor=personas.district_staff,
        org=tree.district,
        keywords="彩礼、路灯",
        topic="RIGHTS",
    )
    made = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="小区路灯坏了很久没人修",
        org=tree.community_a1,
    )
    assert (made.topic, made.rule, made.label_source, made.needs_review) == (
        "RIGHTS",
        rule,
        LabelSource.RULE,
        False,
    )


def test_keyword_rule_of_another_street_does_not_apply(model, personas: Personas, tree: Tree):
    services.keyword_rule_save(
        actor=personas.district_staff,
        org=tree.street_b,
        keywords="路灯",
        topic="RIGHTS",
    )
    made = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="小区路灯坏了很久没人修",
        org=tree.community_a1,
    )
    assert made.rule is None


def test_single_character_keywords_are_refused(personas: Personas, tree: Tree):
    with pytest.raises(ValidationError) as refusal:
        services.keyword_rule_save(
            actor=personas.district_staff, org=tree.district, keywords="打", topic="DV"
        )
    assert "至少" in str(refusal.value)


@pytest.mark.parametrize("text", ["", "   \n  ", "\x00\x01"])
def test_empty_text_is_refused_and_nothing_is_saved(text, model, personas: Personas, tree: Tree):
    with pytest.raises(ValidationError) as refusal:
        services.opinion_submit(
            actor=personas.community_a1_cadre, channel="visit", text=text, org=tree.community_a1
        )
    assert "请填写反映内容" in str(refusal.value)
    assert not Opinion.objects.exists()


def test_hundred_thousand_characters_are_refused_with_the_limit(
    model, personas: Personas, tree: Tree
):
    with pytest.raises(ValidationError) as refusal:
        services.opinion_submit(
            actor=personas.community_a1_cadre,
            channel="visit",
            text="路灯坏了" * 25_000,
            org=tree.community_a1,
        )
    assert "内容过长" in str(refusal.value)
    assert "100000" in str(refusal.value)
    assert not Opinion.objects.exists()


def test_markup_is_stored_as_written(model, personas: Personas, tree: Tree):
    text = "<script>alert(1)</script><b>小区路灯坏了</b>"
    made = services.opinion_submit(
        actor=personas.community_a1_cadre, channel="visit", text=text, org=tree.community_a1
    )
    assert made.text == text


def test_same_source_twice_is_one_opinion(model, personas: Personas, tree: Tree):
    first = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="小区路灯坏了",
        org=tree.community_a1,
        source_ref="form:abc",
    )
    second = services.opinion_submit(
        actor=personas.community_a1_cadre,
        channel="visit",
        text="小区路灯坏了",
        org=tree.community_a1,
        source_ref="form:abc",
    )
    assert first.pk == second.pk
    assert Opinion.objects.count() == 1


def test_representative_reports_as_herself_only(model, representative, tree: Tree, personas):
    made = services.opinion_submit(
        actor=representative, channel="womens_rep", text="孩子放学后没人看管", org=tree.community_a1
    )
    assert made.submitter == representative
    with pytest.raises(PermissionDenied):
        services.opinion_submit(
            actor=representative,
            channel="womens_rep",
            text="孩子放学后没人看管",
            org=tree.community_a1,
            submitter=personas.community_a1_cadre,
        )


def test_representative_cannot_report_into_another_street(model, representative, tree: Tree):
    with pytest.raises(PermissionDenied):
        services.opinion_submit(
            actor=representative, channel="womens_rep", text="路灯坏了", org=tree.community_b1
        )


def test_unknown_channel_is_refused(personas: Personas, tree: Tree):
    with pytest.raises(ValidationError):
        services.opinion_submit(
            actor=personas.community_a1_cadre, channel="fax", text="路灯坏了", org=tree.community_a1
        )


def test_another_module_can_register_its_channel():
    channel = register_channel(Channel("test_hotline", "热线"))
    assert get_channel("test_hotline") is channel
    with pytest.raises(ValueError, match="already registered"):
        register_channel(Channel("test_hotline", "另一个热线"))


def test_staff_correction_becomes_training_data(personas: Personas, tree: Tree):
    made = opinion(tree.community_a1, "邻居家天天吵架摔东西", topic="COMMUNITY", needs_review=True)
    services.opinion_relabel(actor=personas.community_a1_cadre, opinion=made, topic="MARRIAGE")
    made.refresh_from_db()
    assert (made.topic, made.label_source, made.needs_review) == ("MARRIAGE", "staff", False)
    samples, corrections = services.training_samples()
    assert corrections == 1
    assert samples[-1].text == "邻居家天天吵架摔东西"
    assert samples[-1].topic == "MARRIAGE"


def test_street_b_cannot_correct_a_street_a_opinion(personas: Personas, tree: Tree):
    made = opinion(tree.community_a1)
    with pytest.raises(PermissionDenied):
        services.opinion_relabel(actor=personas.street_b_cadre, opinion=made, topic="DV")


def test_the_web_process_warm_up_loads_the_active_model_and_is_registered(model) -> None:
    from warmhome.core import warmup
    from warmhome.opinions import classify, training

    training.forget_cached_model()

    training.warm_up()

    assert training._cached is not None
    assert training._cached[0] == model.pk
    assert classify._jieba_ready
    assert training.warm_up in warmup._registered
