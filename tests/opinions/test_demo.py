"""The demo: a year of opinions, a trained model, follow-ups and an issued report, once."""

from warmhome.opinions.demo import opinions_demo_load
from warmhome.opinions.models import (
    AnalysisReport,
    ModelVersion,
    Opinion,
    OpinionFollowUp,
    Subtopic,
)
from warmhome.orgs.demo import demo_load


def test_demo_loads_once(db, monkeypatch):
    monkeypatch.setattr("warmhome.opinions.demo.PER_MONTH", 5)
    demo_load()
    assert opinions_demo_load() is True
    assert Opinion.objects.count() >= 60
    assert ModelVersion.objects.filter(is_active=True).count() == 1
    assert OpinionFollowUp.objects.filter(state="done").count() == 1
    assert AnalysisReport.objects.filter(issued_at__isnull=False).count() == 1
    assert Subtopic.objects.filter(topic="MARRIAGE", name="抚养权", is_active=True).exists()
    assert opinions_demo_load() is False
