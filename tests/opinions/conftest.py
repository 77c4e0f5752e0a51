"""Fixtures of the opinions tests: a trained model (fitted once per session, stored per test),
a representative at community A1."""

import functools

import pytest
from django.utils import timezone

from tests.conftest import Tree
from tests.factories import user_with_post
from warmhome.accounts.models import User
from warmhome.opinions import training
from warmhome.opinions.models import ModelVersion


@functools.cache
def _fitted_payload() -> bytes:
    return training.fit_all(training.load_shipped()).to_payload()


@pytest.fixture
def model(db: None) -> ModelVersion:
    training.forget_cached_model()
    version = ModelVersion.objects.create(
        version=1,
        trained_at=timezone.now(),
        training_size=len(training.load_shipped()),
        heldout_size=0,
        macro_f1=0.9,
        is_active=True,
        payload=_fitted_payload(),
    )
    yield version
    training.forget_cached_model()


@pytest.fixture
def representative(tree: Tree) -> User:
    return user_with_post("rep_a1", tree.community_a1, "representative")
