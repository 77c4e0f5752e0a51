import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from warmhome.core import todo
from warmhome.core.todo import TodoItem

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def registered_todo_source(monkeypatch: pytest.MonkeyPatch) -> None:
    def visits_due(user: object) -> list[TodoItem]:
        return [
            TodoItem(title="走访王某家庭", url="/work/visits/1/", source="visits", due=TODAY),
            TodoItem(
                title="补录三月走访记录",
                url="/work/visits/2/",
                source="visits",
                due=TODAY - datetime.timedelta(days=3),
                overdue=True,
                detail="已超过截止日期 3 天",
            ),
            TodoItem(title="阅读工作通知", url="/work/news/3/", source="visits"),
        ]

    monkeypatch.setitem(todo._sources, "test_visits", visits_due)


def test_home_shows_her_post_and_registered_todo_items_overdue_first(
    client: Client, personas: Personas, registered_todo_source: None
):
    client.force_login(personas.community_a1_cadre)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "解放桥社区" in html
    post = personas.community_a1_cadre.current_posts().get()
    assert post.role.name in html
    titles = [item.title for item in response.context["todo_items"]]
    assert titles == ["补录三月走访记录", "走访王某家庭", "阅读工作通知"]
    assert html.index("补录三月走访记录") < html.index("走访王某家庭") < html.index("阅读工作通知")
    assert "已逾期" in html
    assert "截止 2026-03-07" in html
    assert "wh-overdue" in html


def test_home_without_todo_says_so_plainly(client: Client, personas: Personas):
    client.force_login(personas.community_a1_cadre)

    response = client.get(reverse("core:home"))

    assert "暂无待办事项" in response.content.decode()


def test_home_without_posts_tells_the_user_whom_to_ask(client: Client, db: None):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))

    response = client.get(reverse("core:home"))

    assert "暂无岗位" in response.content.decode()


def test_home_menu_lists_only_what_the_user_may_open(client: Client, personas: Personas):
    client.force_login(personas.community_a1_cadre)

    html = client.get(reverse("core:home")).content.decode()

    assert reverse("orgs:orgunit_list") in html
    assert reverse("core:audit_list") not in html


def test_home_sends_an_anonymous_visitor_to_the_login_page(client: Client, db: None):
    response = client.get(reverse("core:home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_language_switch_posts_to_set_language_and_sets_english(client: Client, personas: Personas):
    client.force_login(personas.community_a1_cadre)
    html = client.get(reverse("core:home")).content.decode()
    assert f'action="{reverse("set_language")}"' in html

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("core:home")}
    )

    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_home_costs_a_bounded_number_of_queries(
    client: Client, personas: Personas, django_assert_max_num_queries
):
    client.force_login(personas.district_staff)

    # Session, user, posts, the unread count, and one or two per to-do source the user's
    # actions reach (volunteer hours, opinions to check and to follow up): bounded, whatever
    # the data.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("core:home"))

    assert response.status_code == 200
