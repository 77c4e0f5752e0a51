"""``in`` with an integer the column cannot hold matches nothing instead of failing (SQLite
raised OverflowError, and a forged multiple-choice form value answered 500)."""

import pytest
from django import forms

from warmhome.people.models import Category

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999999


def test_an_integer_beyond_the_column_matches_nothing_and_spoils_nothing() -> None:
    category = Category.objects.create(name="测试类别")

    assert list(Category.objects.filter(pk__in=[HUGE, category.pk])) == [category]
    assert not Category.objects.filter(pk__in=[HUGE]).exists()
    assert not Category.objects.filter(pk__in=[-HUGE]).exists()
    assert list(Category.objects.exclude(pk__in=[HUGE]).filter(pk=category.pk)) == [category]


def test_a_forged_choice_is_refused_as_invalid() -> None:
    category = Category.objects.create(name="测试类别")

    class Pick(forms.Form):
        categories = forms.ModelMultipleChoiceField(queryset=Category.objects.all())

    form = Pick(data={"categories": [str(category.pk), str(HUGE)]})

    assert not form.is_valid()
    assert form.errors["categories"]
    assert Pick(data={"categories": [str(category.pk)]}).is_valid()
