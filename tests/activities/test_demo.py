import pytest

from warmhome.activities.demo import activities_demo_load
from warmhome.activities.models import Activity, ActivityKind, Attendance, SignUp
from warmhome.core import demo

pytestmark = pytest.mark.django_db


def test_the_demo_holds_every_kind_with_sign_ups_attendance_and_a_cancellation():
    # Only what activities build on (the whole demo is tests/test_demo.py's business).
    for loader in demo.loaders():
        if loader.key in ("orgs", "people", "activities"):
            loader.load()

    kinds = set(Activity.objects.values_list("kind__code", flat=True))
    assert kinds == set(ActivityKind.objects.values_list("code", flat=True))
    assert SignUp.objects.exists()
    assert Attendance.objects.filter(status="checked_out").exists()
    assert {"published", "finished", "summarised", "cancelled"} <= set(
        Activity.objects.values_list("state", flat=True)
    )
    assert activities_demo_load() is False  # loaded once
