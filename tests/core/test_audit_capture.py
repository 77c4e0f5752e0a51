"""What lands in the audit trail, driven through the Django test client: sign-ins, lockouts,
denied access, and every change of organisations, posts, roles and users, with the acting user
and client address of the request, and never a password hash."""

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.test import Client
from django.urls import path, reverse

from tests.conftest import Personas, Tree
from tests.factories import TEST_PASSWORD, UserFactory, role
from warmhome.accounts.models import Post, Role, User
from warmhome.core.audit.snapshots import REDACTED
from warmhome.core.models import AuditEntry
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.services import orgunit_create
from warmhome.rules.security import lockout_failures

pytestmark = pytest.mark.django_db
CLIENT_IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def _no_second_factor(settings: object) -> None:
    settings.WARMHOME_REQUIRE_2FA = False  # type: ignore[attr-defined]


def last(**filters: object) -> AuditEntry:
    return AuditEntry.objects.filter(**filters).latest("seq")


def newer_than(seq: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def head_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


# --- security events ------------------------------------------------------------------------


def test_successful_login_is_logged_with_user_and_client_address(personas: Personas) -> None:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    response = client.post(
        reverse("accounts:login"), {"username": "resident", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    login = last(event="login")
    assert (login.outcome, login.actor_id, login.actor_username, login.client_ip) == (
        "success",
        personas.resident.pk,
        "resident",
        CLIENT_IP,
    )


def test_failed_login_is_logged_with_the_attempted_username(personas: Personas) -> None:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    client.post(reverse("accounts:login"), {"username": "resident", "password": "wrong-one"})
    failure = last(event="login")
    assert (failure.outcome, failure.actor_id, failure.actor_username, failure.client_ip) == (
        "failure",
        None,
        "resident",
        CLIENT_IP,
    )
    assert "wrong-one" not in json.dumps(failure.detail)


def test_lockout_after_repeated_failures_is_logged(personas: Personas) -> None:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    for _ in range(lockout_failures() + 1):
        client.post(reverse("accounts:login"), {"username": "resident", "password": "nope"})
    lockout = last(event="lockout")
    assert lockout.actor_username == "resident"
    assert lockout.client_ip == CLIENT_IP
    assert AuditEntry.objects.filter(event="login", outcome="failure").count() >= (
        lockout_failures()
    )


def test_opening_another_organisations_record_answers_404_and_is_logged(
    tree: Tree, personas: Personas
) -> None:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    client.force_login(personas.street_a_cadre)
    response = client.get(reverse("orgs:orgunit_detail", args=[tree.community_b1.pk]))
    assert response.status_code == 404
    denied = last(event="access_denied")
    assert denied.actor_id == personas.street_a_cadre.pk
    assert denied.client_ip == CLIENT_IP
    assert denied.detail["model"] == "orgs.OrgUnit"
    assert denied.detail["pk"] == str(tree.community_b1.pk)


def test_a_missing_record_answers_404_without_a_security_event(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.street_a_cadre)
    before = head_seq()
    assert client.get(reverse("orgs:orgunit_detail", args=[999999])).status_code == 404
    assert not AuditEntry.objects.filter(seq__gt=before, event="access_denied").exists()


# --- change log through requests --------------------------------------------------------------
# Minimal views standing in for the administration pages: what matters here is that a save or
# delete made while serving a request is logged with that request's user and address.


def _orgunit_create(request: HttpRequest) -> HttpResponse:
    parent = OrgUnit.objects.get(pk=request.POST["parent"])
    # actor=None: the system administrator holds no orgs.change (三员分立), and what is tested is
    # that the request's user is logged all the same (the request context supplies her).
    unit = orgunit_create(
        actor=None, parent=parent, kind=OrgKind.COMMUNITY, name=request.POST["name"]
    )
    return HttpResponse(str(unit.pk))


def _orgunit_rename(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, pk=pk)
    unit.name = request.POST["name"]
    unit.save()
    return HttpResponse("ok")


def _delete(model: type) -> object:
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(model, pk=pk).delete()
        return HttpResponse("ok")

    return view


def _role_create(request: HttpRequest) -> HttpResponse:
    created = Role.objects.create(code=request.POST["code"], name="临时角色", actions=[])
    return HttpResponse(str(created.pk))


def _role_update(request: HttpRequest, pk: int) -> HttpResponse:
    changed = get_object_or_404(Role, pk=pk)
    changed.actions = request.POST.getlist("actions")
    changed.save()
    return HttpResponse("ok")


def _post_create(request: HttpRequest) -> HttpResponse:
    created = Post.objects.create(
        user_id=request.POST["user"], org_id=request.POST["org"], role=role("community_cadre")
    )
    return HttpResponse(str(created.pk))


def _post_update(request: HttpRequest, pk: int) -> HttpResponse:
    changed = get_object_or_404(Post, pk=pk)
    changed.title = request.POST["title"]
    changed.save()
    return HttpResponse("ok")


def _user_create(request: HttpRequest) -> HttpResponse:
    created = User(username=request.POST["username"])
    created.set_password(request.POST["password"])
    created.save()
    return HttpResponse(str(created.pk))


def _user_update(request: HttpRequest, pk: int) -> HttpResponse:
    changed = get_object_or_404(User, pk=pk)
    changed.display_name = request.POST["display_name"]
    changed.set_password(request.POST["password"])
    changed.save()
    return HttpResponse("ok")


urlpatterns = [
    path("t/orgunit/", _orgunit_create),
    path("t/orgunit/<int:pk>/", _orgunit_rename),
    path("t/orgunit/<int:pk>/delete/", _delete(OrgUnit)),
    path("t/role/", _role_create),
    path("t/role/<int:pk>/", _role_update),
    path("t/role/<int:pk>/delete/", _delete(Role)),
    path("t/post/", _post_create),
    path("t/post/<int:pk>/", _post_update),
    path("t/post/<int:pk>/delete/", _delete(Post)),
    path("t/user/", _user_create),
    path("t/user/<int:pk>/", _user_update),
    path("t/user/<int:pk>/delete/", _delete(User)),
]


@pytest.fixture
def admin_client(personas: Personas) -> Client:
    client = Client(REMOTE_ADDR=CLIENT_IP)
    client.force_login(personas.system_admin)
    return client


def _assert_attributed(entries: list[AuditEntry], personas: Personas) -> None:
    assert entries
    for entry in entries:
        assert entry.actor_id == personas.system_admin.pk, entry
        assert entry.actor_username == personas.system_admin.username
        assert entry.client_ip == CLIENT_IP


@pytest.mark.urls(__name__)
def test_orgunit_create_update_delete_are_logged_under_the_units_path(
    admin_client: Client, tree: Tree, personas: Personas
) -> None:
    start = head_seq()
    pk = int(
        admin_client.post("/t/orgunit/", {"parent": tree.street_a.pk, "name": "新社区"}).content
    )
    admin_client.post(f"/t/orgunit/{pk}/", {"name": "更名社区"})
    path_ = OrgUnit.objects.get(pk=pk).path
    admin_client.post(f"/t/orgunit/{pk}/delete/")
    logged = [e for e in newer_than(start) if e.model_label == "orgs.OrgUnit"]
    assert [e.kind for e in logged] == ["create", "update", "delete"]
    assert all(e.object_pk == str(pk) and e.org_path == path_ for e in logged)
    assert (logged[1].before["name"], logged[1].after["name"]) == ("新社区", "更名社区")
    assert logged[2].before["name"] == "更名社区"
    _assert_attributed(logged, personas)


@pytest.mark.urls(__name__)
def test_role_create_update_delete_are_logged(admin_client: Client, personas: Personas) -> None:
    start = head_seq()
    pk = int(admin_client.post("/t/role/", {"code": "temp_role"}).content)
    admin_client.post(f"/t/role/{pk}/", {"actions": ["orgs.view"]})
    admin_client.post(f"/t/role/{pk}/delete/")
    logged = [e for e in newer_than(start) if e.model_label == "accounts.Role"]
    assert [e.kind for e in logged] == ["create", "update", "delete"]
    assert logged[1].before == {"actions": [], "updated_at": logged[1].before["updated_at"]}
    assert logged[1].after["actions"] == ["orgs.view"]
    _assert_attributed(logged, personas)


@pytest.mark.urls(__name__)
def test_post_create_update_delete_are_logged_under_the_posts_organisation(
    admin_client: Client, tree: Tree, personas: Personas
) -> None:
    someone = UserFactory(username="someone")
    start = head_seq()
    pk = int(admin_client.post("/t/post/", {"user": someone.pk, "org": tree.street_b.pk}).content)
    admin_client.post(f"/t/post/{pk}/", {"title": "主任"})
    admin_client.post(f"/t/post/{pk}/delete/")
    logged = [e for e in newer_than(start) if e.model_label == "accounts.Post"]
    assert [e.kind for e in logged] == ["create", "update", "delete"]
    assert {e.org_path for e in logged} == {tree.street_b.path}
    assert logged[1].after["title"] == "主任"
    _assert_attributed(logged, personas)


@pytest.mark.urls(__name__)
def test_user_changes_are_logged_but_never_the_password_hash(
    admin_client: Client, personas: Personas
) -> None:
    start = head_seq()
    pk = int(
        admin_client.post("/t/user/", {"username": "newbie", "password": "Pw-1-first"}).content
    )
    first_hash = User.objects.get(pk=pk).password
    admin_client.post(f"/t/user/{pk}/", {"display_name": "新人", "password": "Pw-2-second"})
    second_hash = User.objects.get(pk=pk).password
    admin_client.post(f"/t/user/{pk}/delete/")
    logged = [e for e in newer_than(start) if e.model_label == "accounts.User"]
    assert [e.kind for e in logged] == ["create", "update", "delete"]
    assert logged[0].after["password"] == REDACTED
    assert logged[1].after["password"] == REDACTED  # changed, and said so, without the value
    assert logged[1].after["display_name"] == "新人"
    assert logged[2].before["password"] == REDACTED
    _assert_attributed(logged, personas)
    everything = json.dumps(
        [[e.before, e.after, e.detail, e.object_repr] for e in newer_than(start)],
        ensure_ascii=False,
    )
    for secret in (first_hash, second_hash, "Pw-1-first", "Pw-2-second"):
        assert secret not in everything


def test_role_actions_changed_in_place_are_logged_with_before_and_after(db: None) -> None:
    Role.objects.create(code="in_place", name="就地修改", actions=["orgs.view"])
    loaded = Role.objects.get(code="in_place")
    loaded.actions.append("audit.view")
    loaded.save()
    change = last(model_label="accounts.Role", kind="update")
    assert change.before["actions"] == ["orgs.view"]
    assert change.after["actions"] == ["orgs.view", "audit.view"]


def test_a_record_loaded_with_deferred_fields_is_logged_with_what_was_loaded(db: None) -> None:
    Role.objects.create(code="deferred", name="延迟加载", actions=["orgs.view"])
    loaded = Role.objects.only("pk", "name").get(code="deferred")
    loaded.name = "已改名"
    loaded.save(update_fields=["name"])
    change = last(model_label="accounts.Role", kind="update")
    assert change.before["name"] == "延迟加载"
    assert change.after["name"] == "已改名"


def test_saving_an_unchanged_record_writes_no_entry(personas: Personas) -> None:
    unchanged = Role.objects.get(code="community_cadre")
    before = head_seq()
    unchanged.save()
    assert head_seq() == before


def test_a_record_owned_through_its_parent_is_audited_under_the_parents_organisation(
    tree, personas
):
    from tests.factories import maker_for
    from warmhome.people.models import HouseholdMember

    member = maker_for(HouseholdMember)(tree.community_a1)

    entry = AuditEntry.objects.filter(
        model_label="people.HouseholdMember", object_pk=str(member.pk), kind="create"
    ).get()
    assert entry.org_path == member.household.org.path
    assert entry.org_path.startswith(tree.community_a1.path)
