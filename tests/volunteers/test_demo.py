import pytest

from warmhome.accounts.models import User
from warmhome.orgs.demo import demo_load
from warmhome.people.demo import persons_demo_load
from warmhome.volunteers import services_hours
from warmhome.volunteers.demo import volunteers_demo_load
from warmhome.volunteers.models import MonthlyHours, ServiceRecord, Team, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_gives_volunteers_teams_hours_and_the_demo_login_a_profile():
    demo_load(actor=None)
    persons_demo_load(120)

    created = volunteers_demo_load()

    assert created == Volunteer.objects.count() > 0
    assert Team.objects.filter(kind__code="women").exists()
    assert ServiceRecord.objects.filter(state="approved").exists()
    assert ServiceRecord.objects.filter(state="pending").exists()
    login = User.objects.get(username="volunteer")
    assert login.volunteer_profile.certificates.count() == 1
    kept = set(MonthlyHours.objects.values_list("org_id", "month", "hours", "records"))
    services_hours.monthly_hours_rebuild()
    assert set(MonthlyHours.objects.values_list("org_id", "month", "hours", "records")) == kept
    assert volunteers_demo_load() == 0
