import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Personas, Tree
from tests.factories import person
from warmhome.core.identifiers import fake_citizen_id
from warmhome.people import services
from warmhome.people.models import Consent


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _child(tree: Tree):
    birth = timezone.localdate() - datetime.timedelta(days=3650)
    return person(tree.community_a1, "刘小雨", citizen_id=fake_citizen_id(birth_date=birth))


def test_detail_lists_each_purpose_with_basis_version_channel_and_withdrawal(
    tree: Tree, people_personas: Personas
):
    someone = person(tree.community_a1, "王芳")
    services.consent_record(
        actor=None, person=someone, purpose="困难帮扶", legal_basis="statutory_duty"
    )
    withdrawn = services.consent_record(
        actor=None,
        person=someone,
        purpose="活动宣传照片",
        legal_basis="separate_consent",
        version="2026-1",
        channel="paper",
    )
    services.consent_withdraw(actor=None, consent=withdrawn)

    page = (
        _client(people_personas.community_a1_cadre)
        .get(reverse("people:person_detail", args=[someone.pk]))
        .content.decode()
    )

    for text in ("困难帮扶", "履行法定职责", "活动宣传照片", "单独同意", "2026-1", "纸质签字"):
        assert text in page
    assert "已撤回" in page


def test_child_consent_without_guardian_gets_the_chinese_form_error(
    tree: Tree, people_personas: Personas
):
    child = _child(tree)
    mother = person(tree.community_a1, "刘芳", citizen_id="11010519491231002X")
    client = _client(people_personas.community_a1_cadre)
    url = reverse("people:consent_create", args=[child.pk])
    data = {
        "purpose": "儿童之家活动",
        "legal_basis": "consent",
        "version": "2026-1",
        "channel": "paper",
    }

    refused = client.post(url, data)

    assert refused.status_code == 200
    assert "该人员未满 14 周岁，须由监护人同意。" in refused.content.decode()
    assert 'value="儿童之家活动"' in refused.content.decode()
    assert not Consent.objects.exists()

    accepted = client.post(url, {**data, "guardian": "11010519491231002X"})

    assert accepted.status_code == 302
    assert Consent.objects.get().guardian == mother


def test_consent_basis_without_version_names_the_missing_fields(
    tree: Tree, people_personas: Personas
):
    someone = person(tree.community_a1)

    response = _client(people_personas.community_a1_cadre).post(
        reverse("people:consent_create", args=[someone.pk]),
        {"purpose": "就业培训", "legal_basis": "consent"},
    )

    html = response.content.decode()
    assert "基于同意处理时须填写告知同意书版本。" in html
    assert "基于同意处理时须填写同意方式。" in html
    assert not Consent.objects.exists()


def test_withdrawal_is_confirmed_then_recorded(tree: Tree, people_personas: Personas):
    consent = services.consent_record(
        actor=None,
        person=person(tree.community_a1),
        purpose="活动宣传照片",
        legal_basis="consent",
        version="2026-1",
        channel="online",
    )
    client = _client(people_personas.community_a1_cadre)
    url = reverse("people:consent_withdraw", args=[consent.pk])

    confirm = client.get(url)
    consent.refresh_from_db()
    assert confirm.status_code == 200
    assert consent.withdrawn_at is None

    done = client.post(url)

    consent.refresh_from_db()
    assert done.status_code == 302
    assert consent.withdrawn_at is not None


def test_statutory_duty_cannot_be_withdrawn_and_the_page_says_so(
    tree: Tree, people_personas: Personas
):
    consent = services.consent_record(
        actor=None,
        person=person(tree.community_a1),
        purpose="困难帮扶",
        legal_basis="statutory_duty",
    )

    response = _client(people_personas.community_a1_cadre).post(
        reverse("people:consent_withdraw", args=[consent.pk])
    )

    consent.refresh_from_db()
    assert response.status_code == 200
    assert "依法履职的处理不以同意为前提，不能撤回。" in response.content.decode()
    assert consent.withdrawn_at is None


def test_consents_of_another_street_answer_404(tree: Tree, people_personas: Personas):
    foreign = person(tree.community_b1)
    consent = services.consent_record(
        actor=None,
        person=foreign,
        purpose="活动宣传照片",
        legal_basis="consent",
        version="2026-1",
        channel="online",
    )
    client = _client(people_personas.street_a_cadre)

    assert client.get(reverse("people:consent_create", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("people:consent_withdraw", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
