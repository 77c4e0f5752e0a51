"""Reads of the person registry that go beyond one scoped queryset: search."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Concat

from warmhome.core.collation import CodePoint, starts_with
from warmhome.core.crypto import blind_index_candidates
from warmhome.core.identifiers import normalise_mobile, validate_citizen_id
from warmhome.core.scoping import paths_for
from warmhome.people.models import Person, PersonQuerySet

_TAIL = re.compile(r"\d{3}[\dX]|\d{4}")
_INITIALS = re.compile(r"[a-z]{1,20}")


#: what a search is ordered by when an index gives that order over a prefix range: the pager
#: then reads only its page, however many persons match (two initials match 30,000 of a million)
_INITIALS_ORDER = (CodePoint("name_pinyin_initials"), CodePoint("name"), "pk")
_NAME_ORDER = (CodePoint("name"), "pk")


def _query_condition(query: str) -> tuple[Q, tuple[Any, ...] | None]:
    """What ``query`` means — a full ID, a mobile, a 4-character tail, pinyin initials or a name —
    and, for prefix searches, the order the matching index gives."""
    compact = re.sub(r"\s+", "", query)
    upper = compact.upper()
    if len(upper) in (15, 18) and upper[:-1].isdigit():
        try:
            citizen = validate_citizen_id(upper)
        except ValidationError:
            return Q(pk__in=[]), None
        return Q(citizen_id_index__in=blind_index_candidates(citizen.value, "citizen_id")), None
    if len(compact) == 11 and compact.isdigit():
        try:
            mobile = normalise_mobile(compact)
        except ValidationError:
            return Q(pk__in=[]), None
        return Q(phone_index__in=blind_index_candidates(mobile, "phone")), None
    if _TAIL.fullmatch(upper):
        return Q(id_last4=upper) | Q(phone_last4=upper), None
    if _INITIALS.fullmatch(compact.lower()):
        return starts_with("name_pinyin_initials", compact.lower()), _INITIALS_ORDER
    return starts_with("name", query.strip()), _NAME_ORDER


def search_persons(
    persons: PersonQuerySet, user: Any, query: str = "", *, include_shielded: bool = False
) -> PersonQuerySet:
    """``persons`` (current ones) narrowed to ``query``, shielded ones only for those who may.

    Initials matches come grouped by their initials (``zy`` before ``zyh``), then by name;
    name matches by name; the few matches of an ID, phone or tail by name.
    """
    persons = persons.current()
    condition, order = _query_condition(query.strip()) if query.strip() else (None, None)
    if condition is not None:
        persons = persons.filter(condition)
    if not include_shielded:
        may_see_shielded = Q(is_shielded=False)
        for path in paths_for(user, "people.shield"):
            may_see_shielded |= Q(org__path__startswith=path)
        persons = persons.filter(may_see_shielded)
    persons = persons.select_related("org")
    if condition is None:
        return persons.order_by("name", "pk")
    if order is not None:
        return persons.order_by(*order)
    # Same order as the list, but through an expression no index provides: otherwise, under
    # the pager's LIMIT, PostgreSQL walks the whole name index hoping to meet the few matches
    # early (seconds at a million persons). Fetching the matches and sorting them is faster.
    return persons.order_by(Concat("name", Value("")), "pk")


def person_search(
    user: Any, query: str = "", *, action: str = "people.view", include_shielded: bool = False
) -> PersonQuerySet:
    """Current persons visible to ``user`` matching ``query`` (name, initials, tails, full ID).

    Shielded persons are found only by users holding ``people.shield`` over their organisation,
    or when a module with need-to-know passes ``include_shielded=True``; they are still drawn
    masked (``people.rendering``).
    """
    return search_persons(
        Person.objects.visible_to(user, action), user, query, include_shielded=include_shielded
    )
