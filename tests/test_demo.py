"""The demo data set (``warmhome demo load``): 济南市历下区, one login per role, and what each
module adds to it. Loading it takes most of a minute (two on PostgreSQL): every test here reads
one load (the ``loaded_demo`` fixture)."""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from warmhome.accounts.default_roles import DEFAULT_ROLES
from warmhome.accounts.models import Post, User
from warmhome.assistance.models import FundBudget, ReliefApplication, ReliefFund
from warmhome.assistance.selectors import budget_reconciliation
from warmhome.core.audit.verify import verify_chain
from warmhome.core.models import AuditEntry
from warmhome.core.todo import items_for
from warmhome.orgs.demo import DEMO_PASSWORD, demo_logins
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.rights.models import CaseStatus, DvCase, HelpRequest, OrderState, ProtectionOrder

pytestmark = pytest.mark.django_db

LIXIA_STREETS = {
    "370102001000": "解放路街道",
    "370102002000": "千佛山街道",
    "370102003000": "趵突泉街道",
    "370102004000": "泉城路街道",
    "370102005000": "大明湖街道",
    "370102006000": "东关街道",
    "370102007000": "文东街道",
    "370102008000": "建新街道",
    "370102009000": "甸柳街道",
    "370102010000": "燕山街道",
    "370102011000": "姚家街道",
    "370102012000": "龙洞街道",
    "370102013000": "智远街道",
}


def load_again() -> str:
    out = StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def test_loads_lixia_district_with_its_13_real_streets_and_their_codes(loaded_demo: str) -> None:
    assert "演示数据已加载" in loaded_demo

    district = OrgUnit.objects.get(code="370102000000")
    assert district.kind == OrgKind.DISTRICT
    assert district.name == "济南市历下区"
    streets = {unit.code: unit.name for unit in OrgUnit.objects.get_children(district)}
    assert streets == LIXIA_STREETS
    assert all(unit.kind == OrgKind.STREET for unit in OrgUnit.objects.get_children(district))


def test_real_communities_sit_under_their_street_with_their_codes(loaded_demo: str) -> None:
    jiefangqiao = OrgUnit.objects.get(code="370102001002")
    assert jiefangqiao.name == "解放桥社区"
    assert jiefangqiao.kind == OrgKind.COMMUNITY
    assert OrgUnit.objects.get_parent(jiefangqiao).code == "370102001000"
    qianfoshan = OrgUnit.objects.get(code="370102002000")
    assert {unit.code for unit in OrgUnit.objects.get_children(qianfoshan)} == {
        "370102002002",
        "370102002003",
        "370102002004",
        "370102002005",
        "370102002008",
        "370102002009",
        "370102002010",
    }
    assert OrgUnit.objects.get(code="370102004009").name == "芙蓉街社区"


def test_every_community_has_three_grids_and_synthetic_ones_carry_no_code(loaded_demo: str) -> None:
    communities = OrgUnit.objects.filter(kind=OrgKind.COMMUNITY)
    assert 70 <= communities.count() <= 90
    for community in communities:
        # Children also include the demo's women's organisations of 两新 organisations.
        grids = OrgUnit.objects.get_children(community).filter(kind=OrgKind.GRID)
        assert {grid.short_name for grid in grids} == {"第一网格", "第二网格", "第三网格"}
    synthetic = communities.get(name="解放路街道第二社区")
    assert synthetic.code == ""
    assert not OrgUnit.objects.filter(kind=OrgKind.GRID).exclude(code="").exists()


def test_second_run_creates_nothing_and_says_so(loaded_demo: str) -> None:
    counts = (OrgUnit.objects.count(), User.objects.count(), Post.objects.count())
    entries = AuditEntry.objects.count()

    output = load_again()

    assert "演示数据已存在，跳过。" in output
    assert (OrgUnit.objects.count(), User.objects.count(), Post.objects.count()) == counts
    assert AuditEntry.objects.count() == entries


def test_one_demo_login_per_role_at_the_place_the_role_works(loaded_demo: str) -> None:
    logins = demo_logins()
    assert [login.username for login in logins] == [spec["code"] for spec in DEFAULT_ROLES]
    places = {login.username: login.org_name for login in logins}
    assert places["street_cadre"] == "解放路街道"
    assert places["community_cadre"] == "解放桥社区"
    assert places["resident"] == "解放桥社区"
    assert places["system_admin"] == "济南市历下区"
    names = [user.display_name for user in User.objects.order_by("username")]
    assert all(names)
    assert len(set(names)) > 1


def test_demo_users_need_no_password_change(loaded_demo: str) -> None:
    assert not User.objects.filter(must_change_password=True).exists()
    assert not User.objects.filter(password_changed_at__isnull=True).exists()


def test_printed_logins_list_every_role_in_chinese(loaded_demo: str) -> None:
    out = StringIO()

    call_command("demo", "logins", stdout=out)

    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for login in demo_logins():
        assert login.username in printed
        assert login.role_name in printed
    assert "系统管理员" in printed


def test_every_printed_login_signs_in_and_reaches_the_workbench(client, loaded_demo: str) -> None:
    out = StringIO()
    call_command("demo", "logins", stdout=out)

    for login in demo_logins():
        assert login.username in out.getvalue()
        response = client.post(
            reverse("accounts:login"),
            {"username": login.username, "password": login.password},
        )
        assert response.status_code == 302, login.username
        assert client.session.get("_auth_user_id") == str(
            User.objects.get(username=login.username).pk
        )
        # Straight to the workbench: no forced password change, no second factor in the demo.
        assert client.get(reverse("core:home")).status_code == 200, login.username
        client.logout()


def test_loading_is_recorded_as_the_system_and_the_audit_chain_verifies(loaded_demo: str) -> None:
    entries = AuditEntry.objects.filter(model_label="orgs.OrgUnit", kind=AuditEntry.Kind.CREATE)
    assert entries.count() == OrgUnit.objects.count()
    assert not entries.exclude(actor_id=None).exists()
    verdict = verify_chain()
    assert verdict.ok, verdict.message
    assert verdict.verified == AuditEntry.objects.count()


def test_readme_lists_every_demo_login_with_the_demo_password() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table_usernames = re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.MULTILINE)

    assert table_usernames == [spec["code"] for spec in DEFAULT_ROLES]
    assert DEMO_PASSWORD in readme


def test_the_demo_has_a_reconciled_fund_and_applications_at_each_stage(loaded_demo: str) -> None:
    assert ReliefFund.objects.count() == 1
    assert all(budget_reconciliation(budget).balanced for budget in FundBudget.objects.all())
    states = set(ReliefApplication.objects.values_list("state", flat=True))
    assert {"paid", "urgent_paid", "district", "community"} <= states

    call_command("demo", "load", stdout=StringIO())
    assert ReliefFund.objects.count() == 1


def test_the_demo_has_cases_with_measures_and_an_expiring_order_in_the_to_do(
    loaded_demo: str,
) -> None:
    assert DvCase.objects.count() == 3
    assert DvCase.objects.filter(status=CaseStatus.CLOSED).count() == 1
    states = set(ProtectionOrder.objects.values_list("state", flat=True))
    assert {OrderState.ISSUED, OrderState.ACCEPTED} <= states
    for username in ("case_worker", "dv_station_head"):
        sources = [item.source for item in items_for(User.objects.get(username=username))]
        assert "rights.order_expiring" in sources

    call_command("demo", "load", stdout=StringIO())
    assert DvCase.objects.count() == 3


def test_the_demo_has_help_requests_at_every_stage_from_every_channel(loaded_demo: str) -> None:
    states = set(HelpRequest.objects.values_list("state", flat=True))
    assert {"received", "accepted", "handling", "replied", "closed", "not_accepted"} <= states
    assert set(HelpRequest.objects.values_list("channel", flat=True)) == {
        "hotline",
        "visit",
        "letter",
        "online",
        "referral",
    }
    assert HelpRequest.objects.filter(escalations__isnull=False).exists()
    count = HelpRequest.objects.count()
    assert count >= 30
    call_command("demo", "load", stdout=StringIO())
    assert HelpRequest.objects.count() == count


#: what the link walk does not follow: signing out, files served as they are, Django's admin
_NOT_WALKED = re.compile(r"/logout|/static/|/media/|/admin/")
_LINK = re.compile(r'href="(/[^"#]*)"')
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_FIELD = re.compile(r"<(?:input|select|textarea)\b([^>]*)>")


def _shape(url: str) -> str:
    """A page's kind: its path with numbers blanked and its query's keys (one of each is read)."""
    path, _sep, query = url.partition("?")
    return re.sub(r"\d+", "#", path) + "?" + re.sub(r"=[^&]*", "=", query)


def _attribute(name: str, tag: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


@dataclass
class _Page:
    url: str
    shown_on: str
    response: Any


def _walk(client: Any) -> Iterator[_Page]:
    """Every page reachable from the home page by links, one of each kind (400 at most)."""
    queue: list[tuple[str, str]] = [("/", "")]
    shapes: set[str] = set()
    while queue and len(shapes) < 400:
        url, shown_on = queue.pop(0)
        if _shape(url) in shapes:
            continue
        shapes.add(_shape(url))
        response = client.get(url)
        if response.status_code in {301, 302}:
            queue.append((response.headers["Location"], url))
            continue
        yield _Page(url, shown_on, response)
        if response.status_code == 200 and "text/html" in response.headers.get("Content-Type", ""):
            for link in _LINK.findall(response.content.decode()):
                link = html.unescape(link)
                if not _NOT_WALKED.search(link) and _shape(link) not in shapes:
                    queue.append((link, url))


@pytest.mark.walk
@pytest.mark.parametrize("username", ["", *(spec["code"] for spec in DEFAULT_ROLES)])
def test_every_link_a_demo_user_is_shown_opens_for_her(
    client, loaded_demo: str, username: str
) -> None:
    """From the home page, every link on every page she reaches (one page of each kind) opens:
    no error, and no button that leads to "forbidden" or "not found" for the one who sees it.
    The empty username is a visitor who has not signed in (the public pages)."""
    if username:
        client.force_login(User.objects.get(username=username))

    pages = list(_walk(client))

    broken = [
        f"{page.url} ({page.response.status_code}) on {page.shown_on}"
        for page in pages
        if page.response.status_code != 200
    ]
    assert broken == []
    assert len(pages) > (20 if username else 5)  # she reached her pages


#: what a careless or hostile hand may type in any field
_JUNK = ("", "99999999999999999999999", "2026-13-45 <b>x</b>")


# The users between them reach nearly every form (a district leader alone some 120).
@pytest.mark.walk
@pytest.mark.parametrize(
    "username", ["district_leader", "security_admin", "system_admin", "dv_station_head"]
)
def test_no_form_answers_junk_with_a_server_error(client, loaded_demo: str, username: str) -> None:
    """Every form she reaches, sent empty or with junk in every field, answers with the form
    and its Chinese errors (or does its work), never with an error page."""
    client.force_login(User.objects.get(username=username))
    sent: set[str] = set()
    failures: list[str] = []
    for page in _walk(client):
        if page.response.status_code != 200 or "text/html" not in page.response.headers.get(
            "Content-Type", ""
        ):
            continue
        for opening, inner in _FORM.findall(page.response.content.decode()):
            action = _attribute("action", opening) or page.url
            if (_attribute("method", opening) or "get").lower() != "post" or "logout" in action:
                continue
            if _shape(action) in sent:
                continue
            sent.add(_shape(action))
            names = {
                _attribute("name", tag): _attribute("value", tag) for tag in _FIELD.findall(inner)
            }
            for junk in _JUNK:
                data = {
                    name: value if name in {"csrfmiddlewaretoken", "version"} else junk
                    for name, value in names.items()
                    if name
                }
                status = client.post(action, data).status_code
                if status >= 500:
                    failures.append(f"{action} with {junk!r}: {status} (form on {page.url})")

    assert failures == []
    assert len(sent) > 20
