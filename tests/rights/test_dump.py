"""A dump of the database names no victim, and holds no narrative or address in plain text."""

from typing import Any

from django.db import connection
from django.urls import reverse

from tests.conftest import Tree
from tests.factories import person
from tests.rights.conftest import Station
from tests.rights.test_cases import HITS_HIGH, client_for
from warmhome.core.models import AuditEntry
from warmhome.people.models import Person
from warmhome.rights import services
from warmhome.rights.models import DvCase

VICTIM_NAME = "欧阳翠凤"
CHILD_NAME = "欧阳小雨"
ADDRESS = "泉城路八十八号三单元"
NARRATIVE = "凌晨两点被锁在阳台不许进门"
ADDENDUM = "补充：施暴人曾持刀威胁"
HISTORY = "此前三次报警记录"
ABUSER = "司马大壮"


def _dump() -> str:
    """Every value of every table, as text: what ``pg_dump`` or ``.dump`` would write."""
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  (names from introspection)
            for row in cursor.fetchall():
                values.extend(_as_text(value) for value in row)
    return "\n".join(values)


def _as_text(value: Any) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def test_a_database_dump_contains_no_victim_name_narrative_or_address(tree: Tree, station: Station):
    victim = person(tree.community_a1, VICTIM_NAME, residence_address=ADDRESS)
    child = person(tree.community_a1, CHILD_NAME, residence_address=ADDRESS)
    worker = client_for(station.worker)
    response = worker.post(
        reverse("rights:case_open"),
        {
            "org": tree.community_a1.pk,
            "victim_query": f"#{victim.pk}",
            "children_query": f"#{child.pk}",
            "abuser_relationship": "spouse",
            "abuser_name": ABUSER,
            "history": HISTORY,
            "narrative": NARRATIVE,
        },
    )
    assert response.status_code == 302
    case = DvCase.objects.get()
    services.dv_case_submit(actor=station.worker, case=case)
    services.addendum_add(actor=station.worker, case=case, text=ADDENDUM)
    services.risk_assessment_record(
        actor=station.worker, case=case, instrument="hits", answers=HITS_HIGH
    )
    # The case team sees her real name on the case page; the display is audited.
    page = worker.get(reverse("rights:case_detail", args=[case.pk])).content.decode()
    assert VICTIM_NAME in page
    assert AuditEntry.objects.filter(event="sensitive_read", object_pk=str(victim.pk)).exists()

    dump = _dump()

    assert case.number in dump  # the dump does read the data
    assert tree.community_a1.name in dump
    for secret in (VICTIM_NAME, CHILD_NAME, ADDRESS, NARRATIVE, ADDENDUM, HISTORY, ABUSER):
        assert secret not in dump, secret
    assert Person.objects.get(pk=victim.pk).shielded_name == VICTIM_NAME  # kept, encrypted


def test_lifting_the_shield_restores_the_name_and_its_search_keys(tree: Tree, station: Station):
    from warmhome.people.selectors import person_search
    from warmhome.people.services import person_shield, person_unshield

    victim = person(tree.community_a1, VICTIM_NAME)
    person_shield(actor=None, person=victim, reason="家暴")
    assert (victim.name, victim.name_pinyin_initials) == ("受保护人员", "")

    person_unshield(actor=None, person=victim)

    victim.refresh_from_db()
    assert (victim.name, victim.shielded_name, victim.name_pinyin_initials) == (
        VICTIM_NAME,
        "",
        "oycf",
    )
    district_staff = station.district_rights
    assert victim.pk in [found.pk for found in person_search(district_staff, "oycf")]
