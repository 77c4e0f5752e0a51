"""The person registry over JSON: masked values only, drawn by the one rendering function."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from warmhome.api.scoping import scoped
from warmhome.core.scoping import get_for_user
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.people.selectors import person_search

router = Router()

MAX_LIMIT = 200


class PersonOut(Schema):
    id: int
    name: str
    masked_id: str
    masked_phone: str
    org_id: int
    org_name: str
    is_shielded: bool


class PersonPage(Schema):
    items: list[PersonOut]
    count: int


def _out(person: Person, viewer: Any) -> PersonOut:
    shown = render_person(person, viewer=viewer, context="list")
    return PersonOut(
        id=person.pk,
        name=shown.name,
        masked_id=shown.masked_id,
        masked_phone=shown.masked_phone,
        org_id=person.org_id,
        org_name=person.org.name,
        is_shielded=shown.is_shielded,
    )


@router.get(
    "/persons", response=PersonPage, summary="人员检索（姓名、拼音首字母、证件或电话后四位）"
)
@scoped(Person)
def list_persons(request: HttpRequest, q: str = "", offset: int = 0, limit: int = 50) -> PersonPage:
    persons = person_search(request.user, q)
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    page = list(persons[offset : offset + limit])
    return PersonPage(items=[_out(person, request.user) for person in page], count=persons.count())


@router.get("/persons/{pk}", response=PersonOut, summary="单个人员（脱敏）")
@scoped(Person)
def get_person(request: HttpRequest, pk: int) -> PersonOut:
    person = get_for_user(Person.objects.current().select_related("org"), request.user, pk)
    return _out(person, request.user)
