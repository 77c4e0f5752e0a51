"""Factories shared by every test module, and the registry the scope-matrix test draws from.

Each org-owned model registers one function ``make(org) -> instance``; the scope matrix uses it to
put a record in street B and check who can see it. A model without one fails the matrix.
"""

from collections.abc import Callable
from typing import Any

import factory
from django.db import models

from warmhome.accounts.models import Post, Role, User
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.services import orgunit_create

TEST_PASSWORD = "Warm-home-2026"

_makers: dict[type[models.Model], Callable[[OrgUnit], models.Model]] = {}


def makes(model: type[models.Model]) -> Callable[[Callable[[OrgUnit], Any]], Callable]:
    """Register the maker of ``model`` records for the scope matrix."""

    def register(maker: Callable[[OrgUnit], Any]) -> Callable[[OrgUnit], Any]:
        _makers[model] = maker
        return maker

    return register


def maker_for(model: type[models.Model]) -> Callable[[OrgUnit], models.Model] | None:
    return _makers.get(model)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805  (factory_boy passes the built object, not the factory)
        if create:
            obj.save()


def org(parent: OrgUnit | None, kind: str, name: str, code: str = "") -> OrgUnit:
    return orgunit_create(actor=None, parent=parent, kind=kind, name=name, code=code)


def role(code: str) -> Role:
    return Role.objects.get(code=code)


def user_with_post(username: str, unit: OrgUnit, role_code: str, **user_fields: Any) -> User:
    user = UserFactory(username=username, **user_fields)
    Post.objects.create(user=user, org=unit, role=role(role_code))
    user.forget_grants()
    return user


@makes(OrgUnit)
def make_orgunit(parent: OrgUnit) -> OrgUnit:
    child_kind = {
        OrgKind.DISTRICT: OrgKind.STREET,
        OrgKind.STREET: OrgKind.COMMUNITY,
        OrgKind.COMMUNITY: OrgKind.GRID,
    }[OrgKind(parent.kind)]
    return org(parent, child_kind, f"{parent.name}下属{OrgUnit.objects.count()}")


@makes(Post)
def make_post(unit: OrgUnit) -> Post:
    user = UserFactory()
    return Post.objects.create(user=user, org=unit, role=role("community_cadre"))


from warmhome.core.audit.chain import append as audit_append  # noqa: E402
from warmhome.core.models import AuditEntry  # noqa: E402


@makes(AuditEntry)
def make_auditentry(unit: OrgUnit) -> AuditEntry:
    return audit_append(
        kind=AuditEntry.Kind.SECURITY,
        event="access_denied",
        outcome="failure",
        org_path=unit.path,
        detail={"unit": unit.name},
    )
