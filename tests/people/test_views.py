import datetime

from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.identifiers import fake_citizen_id
from warmhome.core.models import AuditEntry
from warmhome.people import services
from warmhome.people.models import Person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_masked_rows_with_a_bounded_number_of_queries(
    tree: Tree, people_personas: Personas, django_assert_max_num_queries
):
    for _ in range(30):
        person(tree.community_a1)
    someone = person(tree.community_a1, "张秀梅", citizen_id="11010519491231002X")
    client = _client(people_personas.street_a_cadre)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("people:person_list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "张秀梅" in html
    assert "110105********002X" in html
    assert someone.citizen_id not in html
    assert someone.phone not in html


def test_list_search_by_pinyin_and_htmx_partial(tree: Tree, people_personas: Personas):
    person(tree.community_a1, "张秀梅")
    person(tree.community_a1, "李红")
    client = _client(people_personas.community_a1_cadre)

    response = client.get(
        reverse("people:person_list"), {"q": "zxm"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "张秀梅" in html
    assert "李红" not in html
    assert "<html" not in html


def test_shielded_name_is_absent_from_the_list_and_detail_html(
    tree: Tree, people_personas: Personas
):
    victim = person(tree.community_a1, "张秀梅")
    services.person_shield(actor=people_personas.district_staff, person=victim, reason="家暴案件")

    for viewer in (people_personas.district_staff, people_personas.community_a1_cadre):
        client = _client(viewer)
        listing = client.get(reverse("people:person_list")).content.decode()
        detail = client.get(reverse("people:person_detail", args=[victim.pk])).content.decode()
        assert "张秀梅" not in listing + detail
    district = _client(people_personas.district_staff)
    detail = district.get(reverse("people:person_detail", args=[victim.pk])).content.decode()
    assert "（受保护人员）" in detail
    assert "家暴案件" in detail


def test_detail_of_another_street_answers_404(tree: Tree, people_personas: Personas):
    foreign = person(tree.community_b1)

    response = _client(people_personas.street_a_cadre).get(
        reverse("people:person_detail", args=[foreign.pk])
    )

    assert response.status_code == 404


def test_reveal_shows_the_full_id_once_and_audits(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1, citizen_id="11010519491231002X")
    client = _client(people_personas.street_a_cadre)

    refused = client.post(reverse("people:person_reveal", args=[someone.pk]), {"reason": ""})
    assert "11010519491231002X" not in refused.content.decode()
    assert "这个字段是必填项" in refused.content.decode() or "必填" in refused.content.decode()

    response = client.post(
        reverse("people:person_reveal", args=[someone.pk]), {"reason": "核对救助材料"}
    )

    assert "11010519491231002X" in response.content.decode()
    assert AuditEntry.objects.filter(event="sensitive_read", object_pk=str(someone.pk)).count() == 1


def test_reveal_without_view_sensitive_answers_404(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1)

    response = _client(people_personas.community_a1_cadre).post(
        reverse("people:person_reveal", args=[someone.pk]), {"reason": "核对"}
    )

    assert response.status_code == 404


def test_create_form_registers_and_shows_chinese_errors_keeping_input(
    tree: Tree, people_personas: Personas
):
    client = _client(people_personas.community_a1_cadre)
    data = {
        "org": tree.community_a1.pk,
        "name": "王芳",
        "sex": "female",
        "citizen_id": "37010219800506123",
        "phone": "13800138000",
    }

    bad = client.post(reverse("people:person_create"), data)
    assert bad.status_code == 200
    assert "身份证号应为18位，当前为17位" in bad.content.decode()
    assert 'value="王芳"' in bad.content.decode()
    assert not Person.objects.exists()

    data["citizen_id"] = fake_citizen_id(birth_date=datetime.date(1988, 8, 8), sex="female")
    good = client.post(reverse("people:person_create"), data)
    created = Person.objects.get()
    assert good.status_code == 302
    assert created.birth_date == datetime.date(1988, 8, 8)


def test_edit_form_saves_changes(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1, "王芳")
    client = _client(people_personas.community_a1_cadre)
    form = client.get(reverse("people:person_update", args=[someone.pk]))
    assert form.status_code == 200

    response = client.post(
        reverse("people:person_update", args=[someone.pk]),
        {
            "org": tree.grid_a1.pk,
            "name": "王芳芳",
            "sex": "female",
            "citizen_id": someone.citizen_id,
        },
    )

    someone.refresh_from_db()
    assert response.status_code == 302
    assert (someone.name, someone.org, someone.phone) == ("王芳芳", tree.grid_a1, "")


def test_shield_screen_requires_a_reason(tree: Tree, people_personas: Personas):
    someone = person(tree.community_a1)
    client = _client(people_personas.district_staff)

    client.post(reverse("people:person_shield", args=[someone.pk]), {"reason": ""})
    someone.refresh_from_db()
    assert not someone.is_shielded

    client.post(reverse("people:person_shield", args=[someone.pk]), {"reason": "儿童保护"})
    someone.refresh_from_db()
    assert someone.is_shielded
    assert someone.shield_reason == "儿童保护"

    client.post(reverse("people:person_shield", args=[someone.pk]), {"unshield": "1"})
    someone.refresh_from_db()
    assert not someone.is_shielded


def test_merge_screen_compares_and_merges_a_detected_pair(tree: Tree, people_personas: Personas):
    keep = person(tree.community_a1, "周梅", citizen_id="")
    birth = keep.birth_date
    merge = person(tree.community_a1, "周梅", citizen_id=fake_citizen_id(birth_date=birth))
    keep.refresh_from_db()
    client = _client(people_personas.community_a1_cadre)

    listing = client.get(reverse("people:person_merge", args=[keep.pk]))
    assert listing.status_code == 200
    compare = client.get(reverse("people:person_merge", args=[keep.pk]), {"other": merge.pk})
    assert "确认合并" in compare.content.decode()
    response = client.post(reverse("people:person_merge", args=[keep.pk]), {"other": merge.pk})

    merge.refresh_from_db()
    assert response.status_code == 302
    assert merge.merged_into_id == keep.pk


def test_household_detail_shows_members_and_timeline(tree: Tree, people_personas: Personas):
    head = person(tree.community_a1, "刘芳")
    household = services.household_create(actor=None, org=tree.community_a1, head=head)
    client = _client(people_personas.community_a1_cadre)

    response = client.get(reverse("people:household_detail", args=[household.pk]))
    listing = client.get(reverse("people:household_list"))

    assert response.status_code == 200
    assert "刘芳" in response.content.decode()
    assert "家庭档案时间线" in response.content.decode()
    assert listing.status_code == 200
    assert "刘芳" in listing.content.decode()
