"""Every help request counts in the opinion analysis, under its category's topic."""

import pytest

from tests.conftest import Tree
from tests.factories import help_request
from warmhome.opinions.models import Opinion
from warmhome.rights.services_requests import DV_OPINION_TEXT

pytestmark = pytest.mark.django_db


def test_a_help_request_becomes_an_opinion_of_its_categorys_topic(tree: Tree):
    request = help_request(tree.community_a1, code="labour_rights", content="怀孕后被公司辞退")

    opinion = Opinion.objects.get(channel="help_request", source_ref=request.number)
    assert (opinion.topic, opinion.label_source, opinion.needs_review) == (
        "LABOUR",
        "source",
        False,
    )
    assert opinion.org == tree.community_a1
    assert opinion.text == "怀孕后被公司辞退"
    assert opinion.anonymous


def test_a_violence_request_counts_without_its_words(tree: Tree):
    request = help_request(tree.community_a1, code="domestic_violence", content="丈夫昨晚又动手")

    opinion = Opinion.objects.get(source_ref=request.number)
    assert opinion.topic == "DV"
    assert opinion.text == DV_OPINION_TEXT
    assert not Opinion.objects.filter(text__contains="动手").exists()
