"""The scope matrix: discover every org-owned model, workbench view and API operation, and prove
that a user of one organisation sees nothing of another.

Discovery needs no list to keep up to date:

* a model is *org-owned* when it reaches ``orgs.OrgUnit`` through foreign keys, or when its
  default queryset is a ``ScopedQuerySet``; it must then be scoped, have a maker registered in
  ``tests/factories.py``, and hide other organisations' rows for every registered action;
* every URL pattern is a scoped view (``ScopedQuerysetMixin``) or declares ``scope_exempt``;
* every API operation carries ``@scoped(Model)`` or ``@scope_exempt``.

``tests/test_scope_matrix.py`` runs it on the real project; ``tests/test_scope_matrix_selfcheck.py``
shows that it fails on deliberately unscoped models, views and operations.
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from warmhome.core import actions as action_registry
from warmhome.core.scoping import ScopedQuerySet
from warmhome.core.views_base import ScopedQuerysetMixin
from warmhome.orgs.models import OrgUnit

Maker = Callable[[OrgUnit], models.Model]

#: URL namespaces that belong to frameworks, with why they need no org scoping
FRAMEWORK_NAMESPACES = {
    "admin": "Django admin: superusers only (WarmHomeAdminSite.has_permission)",
    "api": "checked operation by operation in api_operations()",
}
#: view modules of frameworks, with why they need no org scoping
FRAMEWORK_VIEW_MODULES = {
    "django.views.i18n": "language switch: reads no records",
    "django.views.static": "static files in DEBUG only",
    "django.contrib.staticfiles.views": "static files in DEBUG only",
}


# --- models ----------------------------------------------------------------------------------


def reaches_orgunit(model: type[models.Model], depth: int = 3) -> bool:
    if model is OrgUnit:
        return True
    if depth == 0:
        return False
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        target = field.related_model
        if target is None or target is model:
            continue
        if target is OrgUnit or (not _is_user_model(target) and reaches_orgunit(target, depth - 1)):
            return True
    return False


def _is_user_model(model: type[models.Model]) -> bool:
    # Users hold posts in organisations, but a user is not owned by one: records that point at a
    # user (tokens, jobs) are the user's own, not the organisation's.
    from django.contrib.auth import get_user_model

    return model is get_user_model()


def is_scoped_model(model: type[models.Model]) -> bool:
    # Building a queryset runs no query; what the default manager hands out is what counts.
    return isinstance(model._default_manager.all(), ScopedQuerySet)


def org_owned_models(
    candidates: list[type[models.Model]] | None = None,
) -> list[type[models.Model]]:
    found = []
    for model in candidates if candidates is not None else apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        if reaches_orgunit(model) or is_scoped_model(model):
            found.append(model)
    return found


def unscoped_models(candidates: list[type[models.Model]] | None = None) -> list[str]:
    """Org-owned models whose default manager does not scope."""
    return [
        model._meta.label for model in org_owned_models(candidates) if not is_scoped_model(model)
    ]


@dataclass
class MatrixUsers:
    """Users holding every registered action, at street A and at community A1."""

    street_a: Any
    community_a1: Any
    street_b: Any


@dataclass
class Records:
    street_b: models.Model
    community_b1: models.Model
    community_a1: models.Model

    @property
    def foreign_to_a(self) -> list[models.Model]:
        return [self.street_b, self.community_b1]


def make_records(maker: Maker, tree: Any) -> Records:
    return Records(
        street_b=maker(tree.street_b),
        community_b1=maker(tree.community_b1),
        community_a1=maker(tree.community_a1),
    )


def leaks(model: type[models.Model], users: MatrixUsers, records: Records) -> list[str]:
    """Every (action, who, record) where a record of another organisation shows through."""
    problems = []
    seen_own = False
    for action in [action.code for action in action_registry.all_actions()] + ["view"]:
        for label, user, foreign in (
            ("street-A user", users.street_a, records.foreign_to_a),
            ("community-A1 user", users.community_a1, [*records.foreign_to_a]),
            ("street-B user", users.street_b, [records.community_a1]),
        ):
            visible = set(
                model._default_manager.visible_to(user, action).values_list("pk", flat=True)
            )
            for record in foreign:
                if record.pk in visible:
                    problems.append(f"{model._meta.label}: {label} sees {record!r} for {action}")
        own = model._default_manager.visible_to(users.community_a1, action)
        seen_own = seen_own or own.filter(pk=records.community_a1.pk).exists()
    if not seen_own:
        problems.append(
            f"{model._meta.label}: the community-A1 user sees not even her own record for any "
            "action, so the matrix proves nothing for this model"
        )
    return problems


# --- views -----------------------------------------------------------------------------------


@dataclass
class RouteView:
    route: str
    name: str
    callback: Callable[..., Any]
    namespace: str

    @property
    def view_class(self) -> type | None:
        return getattr(self.callback, "view_class", None)

    @property
    def exempt_reason(self) -> str:
        target = self.view_class or self.callback
        reason = getattr(target, "scope_exempt", "")
        if reason:
            return str(reason)
        top = self.namespace.split(":")[0]
        if top in FRAMEWORK_NAMESPACES:
            return FRAMEWORK_NAMESPACES[top]
        return FRAMEWORK_VIEW_MODULES.get(getattr(self.callback, "__module__", ""), "")

    @property
    def scoped_model(self) -> type[models.Model] | None:
        view_class = self.view_class
        if view_class is not None and issubclass(view_class, ScopedQuerysetMixin):
            return view_class.model
        return None

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)


def walk_urls(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[RouteView]:
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            child_namespace = entry.namespace or namespace
            if namespace and entry.namespace:
                child_namespace = f"{namespace}:{entry.namespace}"
            yield from walk_urls(entry.url_patterns, prefix + str(entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            yield RouteView(
                route=prefix + str(entry.pattern),
                name=entry.name or "",
                callback=entry.callback,
                namespace=namespace,
            )


def unclassified_views(routes: list[RouteView]) -> list[str]:
    return [
        f"{route.route} ({route.namespace}:{route.name})"
        for route in routes
        if route.scoped_model is None and not route.exempt_reason
    ]


def route_url(route: RouteView, pk: Any) -> str:
    path = re.sub(r"<(?:\w+:)?pk>", str(pk), route.route)
    path = path.replace("^", "").replace("$", "")
    return "/" + path


def view_leaks(route: RouteView, users: MatrixUsers, records: Records) -> list[str]:
    """Request the view as the matrix users and report what shows through."""
    problems = []
    params = route.parameters
    if params and params != ["pk"]:
        return [f"{route.route}: scoped views take only <pk>, found {params}"]
    street_a, community_a1 = Client(), Client()
    street_a.force_login(users.street_a)
    community_a1.force_login(users.community_a1)
    if params == ["pk"]:
        for foreign in records.foreign_to_a:
            status = _request(street_a, route_url(route, foreign.pk))
            if status != 404:
                problems.append(f"{route.route}: street-A user got {status} for {foreign!r}")
        own_status = _request(community_a1, route_url(route, records.community_a1.pk))
        if own_status == 404:
            problems.append(f"{route.route}: community-A1 user cannot open her own record")
        return problems
    response = street_a.get(route_url(route, ""))
    listed = _listed_pks(response)
    if listed is None:
        return [f"{route.route}: list view gave {response.status_code} without object_list"]
    problems += [
        f"{route.route}: street-A user's list shows {foreign!r}"
        for foreign in records.foreign_to_a
        if foreign.pk in listed
    ]
    own = _listed_pks(community_a1.get(route_url(route, "")))
    if own is None or records.community_a1.pk not in own:
        problems.append(f"{route.route}: community-A1 user's list lacks her own record")
    return problems


def _request(client: Client, url: str) -> int:
    status = client.get(url).status_code
    if status == 405:
        status = client.post(url, {}).status_code
    return status


def _listed_pks(response: Any) -> set[Any] | None:
    context = getattr(response, "context", None)
    if response.status_code != 200 or context is None or "object_list" not in context:
        return None
    return {record.pk for record in context["object_list"]}


# --- API -------------------------------------------------------------------------------------


@dataclass
class ApiOperation:
    url: str
    methods: list[str]
    view_func: Callable[..., Any]

    @property
    def exempt_reason(self) -> str:
        return str(getattr(self.view_func, "scope_exempt", ""))

    @property
    def scoped_model(self) -> type[models.Model] | None:
        return getattr(self.view_func, "scoped_model", None)


def api_operations(api: Any = None) -> list[ApiOperation]:
    if api is None:
        from warmhome.api.site import api as project_api

        api = project_api
    api.urls  # noqa: B018  (binds the routers)
    found = []
    for mount in api._get_bound_routers():
        for path, path_view in mount.path_operations.items():
            for operation in path_view.operations:
                url = "/".join(part.strip("/") for part in ("api", mount.prefix, path) if part)
                found.append(
                    ApiOperation(
                        url="/" + url, methods=operation.methods, view_func=operation.view_func
                    )
                )
    return found


def unclassified_operations(operations: list[ApiOperation]) -> list[str]:
    return [
        f"{' '.join(op.methods)} {op.url}"
        for op in operations
        if op.scoped_model is None and not op.exempt_reason
    ]


def api_leaks(operation: ApiOperation, users: MatrixUsers, records: Records) -> list[str]:
    problems: list[str] = []
    params = re.findall(r"\{(\w+)\}", operation.url)
    street_a, community_a1 = Client(), Client()
    street_a.force_login(users.street_a)
    community_a1.force_login(users.community_a1)
    if "GET" not in operation.methods:
        return api_write_leaks(operation, (street_a, community_a1), records)
    if params == ["pk"]:
        for foreign in records.foreign_to_a:
            status = street_a.get(operation.url.replace("{pk}", str(foreign.pk))).status_code
            if status != 404:
                problems.append(f"{operation.url}: street-A user got {status} for {foreign!r}")
        own = community_a1.get(operation.url.replace("{pk}", str(records.community_a1.pk)))
        if own.status_code != 200:
            problems.append(f"{operation.url}: community-A1 user got {own.status_code} for hers")
        return problems
    if params:
        return [f"{operation.url}: scoped operations take only {{pk}}, found {params}"]
    listed = _api_ids(street_a.get(operation.url))
    problems += [
        f"{operation.url}: street-A user's list shows {foreign!r}"
        for foreign in records.foreign_to_a
        if foreign.pk in listed
    ]
    if records.community_a1.pk not in _api_ids(community_a1.get(operation.url)):
        problems.append(f"{operation.url}: community-A1 user's list lacks her own record")
    return problems


def api_write_leaks(
    operation: ApiOperation, clients: tuple[Client, Client], records: Records
) -> list[str]:
    """Send the operation's probe body at another street's record (404 expected) and at the
    community-A1 user's own (anything but 404)."""
    probe = getattr(operation.view_func, "scope_probe", None)
    if probe is None:
        return [f"{operation.url}: a scoped writing operation needs @scoped(..., probe=...)"]
    street_a, community_a1 = clients
    method = operation.methods[0].lower()

    def send(client: Client, record: models.Model) -> int:
        url = operation.url.replace("{pk}", str(record.pk))
        payload = json.dumps(probe(record), default=str)
        response = getattr(client, method)(url, payload, content_type="application/json")
        return int(response.status_code)

    problems = [
        f"{operation.url}: street-A user's {method.upper()} got {status} for {foreign!r}"
        for foreign in records.foreign_to_a
        if (status := send(street_a, foreign)) != 404
    ]
    if send(community_a1, records.community_a1) == 404:
        problems.append(f"{operation.url}: community-A1 user cannot write her own record")
    return problems


def _api_ids(response: Any) -> set[Any]:
    if response.status_code != 200:
        return set()
    payload = response.json()
    items = payload.get("items", []) if isinstance(payload, dict) else payload
    return {item.get("id") for item in items if isinstance(item, dict)}
