import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.rules.conftest import TODAY
from warmhome.core.models import AuditEntry
from warmhome.rules.models import CalendarDay, Policy
from warmhome.rules.selectors import policy_value

D = datetime.date

pytestmark = pytest.mark.usefixtures("calendar_2026")


@pytest.fixture
def today_is_late_november(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _admin_urls() -> list[str]:
    day = CalendarDay.objects.get(date=D(2026, 10, 1))
    return [
        reverse("rules:policy_list"),
        reverse("rules:policy_detail", args=["petition.handling_days"]),
        reverse("rules:calendarday_list"),
        reverse("rules:calendarday_create"),
        reverse("rules:calendarday_update", args=[day.pk]),
        reverse("rules:calendarday_delete", args=[day.pk]),
    ]


@pytest.mark.parametrize(
    "who", ["community_a1_cadre", "street_a_cadre", "resident", "system_admin"]
)
def test_users_without_the_rules_actions_get_404_on_every_page(client, personas, who):
    client.force_login(getattr(personas, who))

    statuses = {url: client.get(url).status_code for url in _admin_urls()}

    assert set(statuses.values()) == {404}, statuses
    assert AuditEntry.objects.filter(event="access_denied").count() == len(statuses)


def test_district_staff_may_read_but_not_change(client, personas):
    client.force_login(personas.district_staff)
    urls = _admin_urls()

    assert [client.get(url).status_code for url in urls[:3]] == [200, 200, 200]
    assert [client.get(url).status_code for url in urls[3:]] == [404, 404, 404]
    refused = client.post(urls[1], {"value": "45", "valid_from": "2027-01-01", "basis": "x"})
    assert refused.status_code == 404
    assert policy_value("petition.handling_days", on=D(2027, 1, 1)) == 60


def test_policy_list_shows_every_rule_in_few_queries(client, leader, django_assert_max_num_queries):
    client.force_login(leader)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("rules:policy_list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "信访受理告知期限" in page
    assert "100、300、600、1000、1500 小时" in page


def test_leader_enters_a_dated_value_and_sees_the_history(client, leader):
    client.force_login(leader)
    url = reverse("rules:policy_detail", args=["awards.public_notice_working_days"])

    response = client.post(
        url, {"value": "7", "valid_from": "2027-01-01", "basis": "[practice] 区妇联通知"}
    )

    assert response.status_code == 302
    assert policy_value("awards.public_notice_working_days", on=D(2027, 1, 1)) == 7
    assert policy_value("awards.public_notice_working_days", on=D(2026, 12, 31)) == 5
    page = client.get(url).content.decode()
    assert "2027-01-01" in page
    assert "待生效" in page
    assert "现行" in page
    entry = AuditEntry.objects.get(
        model_label="rules.Policy", kind=AuditEntry.Kind.CREATE, actor_username="leader"
    )
    assert entry.after["value"] == 7


def test_a_bad_policy_value_is_shown_in_chinese_and_nothing_is_saved(client, leader):
    client.force_login(leader)
    rows = Policy.objects.count()

    response = client.post(
        reverse("rules:policy_detail", args=["volunteer.star_hours"]),
        {"value": "100, 600, 300", "valid_from": "2027-01-01", "basis": "[practice] 试行"},
    )

    assert response.status_code == 200
    assert "“志愿者星级时长标准”的各项应从小到大排列" in response.content.decode()
    assert Policy.objects.count() == rows


def test_calendar_page_lists_the_year_in_few_queries(client, leader, django_assert_max_num_queries):
    client.force_login(leader)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("rules:calendarday_list"), {"year": 2026})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        page.count('data-testid="calendar-day"')
        == CalendarDay.objects.filter(date__year=2026).count()
    )
    assert "国庆节" in page
    assert 'data-testid="calendar-missing"' not in page


def test_a_year_without_data_warns_on_its_page(client, leader):
    client.force_login(leader)

    page = client.get(reverse("rules:calendarday_list"), {"year": 2027}).content.decode()

    assert 'data-testid="calendar-missing"' in page
    assert "只按周末估算" in page


def test_leader_types_in_the_2027_spring_festival_as_a_range(client, leader):
    client.force_login(leader)

    response = client.post(
        reverse("rules:calendarday_create"),
        {"first": "2027-02-06", "last": "2027-02-13", "kind": "holiday", "name": "春节"},
    )

    assert response.status_code == 302
    days = CalendarDay.objects.filter(date__year=2027)
    assert days.count() == 8
    assert {(day.kind, day.name, day.source) for day in days} == {("holiday", "春节", "admin")}
    assert (
        AuditEntry.objects.filter(
            model_label="rules.CalendarDay", kind=AuditEntry.Kind.CREATE, actor_username="leader"
        ).count()
        == 8
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"first": "2027-02-08", "kind": "makeup_workday", "name": "春节"},
            "2027-02-08 是周一至周五，本来就是工作日，无需登记为调休上班日",
        ),
        (
            {"first": "2026-10-01", "kind": "holiday", "name": "国庆节"},
            "2026-10-01 已登记为“国庆节”（节假日）",
        ),
        (
            {"first": "2027-02-13", "last": "2027-02-06", "kind": "holiday", "name": "春节"},
            "结束日期不能早于开始日期",
        ),
        (
            {"first": "2027-01-01", "last": "2027-03-01", "kind": "holiday", "name": "春节"},
            "一次最多登记 31 天",
        ),
        ({"first": "2027-01-01", "kind": "holiday", "name": " "}, "这个字段是必填项"),
    ],
)
def test_bad_calendar_entries_are_refused_in_chinese_and_nothing_is_saved(
    client, leader, data, message
):
    client.force_login(leader)
    rows = CalendarDay.objects.count()

    response = client.post(reverse("rules:calendarday_create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert CalendarDay.objects.count() == rows


def test_editing_a_day_is_audited_with_before_and_after(client, leader):
    client.force_login(leader)
    day = CalendarDay.objects.get(date=D(2026, 10, 7))

    response = client.post(
        reverse("rules:calendarday_update", args=[day.pk]),
        {"date": "2026-10-07", "kind": "holiday", "name": "国庆节（中秋）"},
    )

    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.name, day.source) == ("国庆节（中秋）", "admin")
    entry = AuditEntry.objects.get(
        model_label="rules.CalendarDay", object_pk=str(day.pk), kind=AuditEntry.Kind.UPDATE
    )
    assert entry.actor_username == "leader"
    assert entry.before["name"] == "国庆节"
    assert entry.after["name"] == "国庆节（中秋）"


def test_deleting_a_day_makes_it_an_ordinary_day_and_is_audited(client, leader):
    client.force_login(leader)
    day = CalendarDay.objects.get(date=D(2026, 10, 10))

    assert client.get(reverse("rules:calendarday_delete", args=[day.pk])).status_code == 200
    response = client.post(reverse("rules:calendarday_delete", args=[day.pk]))

    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=D(2026, 10, 10)).exists()
    assert AuditEntry.objects.filter(
        model_label="rules.CalendarDay", kind=AuditEntry.Kind.DELETE, actor_username="leader"
    ).exists()


def test_leader_is_asked_for_next_years_calendar_on_the_home_page(
    client, leader, today_is_late_november
):
    client.force_login(leader)

    page = client.get(reverse("core:home")).content.decode()

    assert "请录入 2027 年节假日安排" in page
    assert "/work/rules/calendar/?year=2027" in page


def test_the_calendar_todo_goes_once_the_year_is_entered(client, leader, today_is_late_november):
    client.force_login(leader)
    client.post(
        reverse("rules:calendarday_create"),
        {"first": "2027-01-01", "kind": "holiday", "name": "元旦"},
    )

    assert "请录入 2027 年节假日安排" not in client.get(reverse("core:home")).content.decode()


def test_staff_who_cannot_enter_the_calendar_get_no_todo(client, personas, today_is_late_november):
    client.force_login(personas.district_staff)

    assert "请录入 2027 年节假日安排" not in client.get(reverse("core:home")).content.decode()


def test_unknown_policy_keys_and_absurd_years_are_not_found(client, leader):
    client.force_login(leader)

    assert client.get(reverse("rules:policy_detail", args=["no.such_rule"])).status_code == 404
    assert client.get(reverse("rules:calendarday_list"), {"year": "20x7"}).status_code == 404
    assert client.get(reverse("rules:calendarday_list"), {"year": "1066"}).status_code == 404


def test_the_menu_offers_the_rules_pages_to_the_leader(client, leader):
    client.force_login(leader)

    page = client.get(reverse("core:home")).content.decode()

    assert reverse("rules:policy_list") in page
    assert reverse("rules:calendarday_list") in page


def test_date_fields_carry_iso_dates_for_the_browser_picker(client, leader):
    client.force_login(leader)

    page = client.get(reverse("rules:calendarday_list"), {"year": 2027}).content.decode()

    assert 'type="date" name="first" value="2027-01-01"' in page


# --- the sign-in rules are the security administrator's (三员分立) ------------------------------

SIGN_IN_RULE = "security.lockout_failures"


def test_the_security_administrator_sets_the_sign_in_rules(client, personas):
    client.force_login(personas.security_admin)
    url = reverse("rules:policy_detail", args=[SIGN_IN_RULE])

    page = client.get(url)
    saved = client.post(url, {"value": "3", "valid_from": "2027-01-01", "basis": "安全管理制度"})

    assert page.status_code == 200
    assert 'name="value"' in page.content.decode()
    assert saved.status_code == 302
    assert policy_value(SIGN_IN_RULE, on=D(2027, 1, 1)) == 3
    # … and no business rule
    business = client.post(
        reverse("rules:policy_detail", args=["petition.handling_days"]),
        {"value": "45", "valid_from": "2027-01-01", "basis": "x"},
    )
    assert business.status_code == 404
    assert policy_value("petition.handling_days", on=D(2027, 1, 1)) == 60


def test_the_leadership_reads_the_sign_in_rules_but_may_not_change_them(client, leader):
    client.force_login(leader)
    url = reverse("rules:policy_detail", args=[SIGN_IN_RULE])

    page = client.get(url).content.decode()
    refused = client.post(url, {"value": "50", "valid_from": "2027-01-01", "basis": "x"})

    assert 'name="value"' not in page
    assert "登录安全策略由安全管理员维护" in page
    assert refused.status_code == 404
    assert policy_value(SIGN_IN_RULE, on=D(2027, 1, 1)) == 5
