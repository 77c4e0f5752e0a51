# ruff: noqa: S608  (the statement is assembled from constants and ids formatted as integers)
"""An independent, hand-written SQL statement computing the coverage roll-up, to check the
selector against: one correlated subquery per figure and unit over ``path LIKE unit.path || '%'``
(slow, obviously right; SQLite and PostgreSQL alike)."""

from typing import Any

from django.db import connection

FIGURES = (
    "new_orgs",
    "eligible",
    "covered",
    "covered_joint",
    "reached",
    "grids",
    "grids_reached",
    "grids_led",
    "base_units",
    "venue",
    "people",
    "funds",
)


def _in(ids: list[int]) -> str:
    return "(" + ",".join(str(int(pk)) for pk in ids) + ")" if ids else "(NULL)"


def coverage_by_sql(
    *, threshold: int, year: int, reached_new_orgs: list[int], reached_units: list[int]
) -> dict[int, dict[str, int]]:
    """{unit id: {figure: count}} for every active city, district, street and community."""
    new_orgs = (
        "SELECT COUNT(*) FROM orgs_neworg n JOIN orgs_orgunit o ON o.id = n.org_id "
        "WHERE n.is_active = %(yes)s AND o.path LIKE u.path || '%%'"
    )
    eligible = new_orgs + " AND n.female_employees >= %(threshold)s"
    women = (
        " AND EXISTS (SELECT 1 FROM orgs_orgunit w WHERE w.id = n.womens_org_id"
        " AND w.is_active = %(yes)s{extra})"
    )
    covered = eligible + women.format(extra="")
    covered_joint = eligible + women.format(extra=" AND w.establishment_mode = 'joint'")
    reached = (
        eligible
        + f" AND (n.id IN {_in(reached_new_orgs)} OR n.womens_org_id IN {_in(reached_units)})"
    )
    grids = (
        "SELECT COUNT(*) FROM orgs_orgunit g WHERE g.kind = 'grid' AND g.is_active = %(yes)s "
        "AND g.path LIKE u.path || '%%'"
    )
    grids_reached = grids + f" AND g.id IN {_in(reached_units)}"
    grids_led = (
        grids + " AND EXISTS (SELECT 1 FROM orgs_gridleader l WHERE l.org_id = g.id"
        " AND l.ended_on IS NULL)"
    )
    base = (
        "SELECT COUNT(*) FROM orgs_orgunit c WHERE c.kind IN ('community', 'new_org') "
        "AND c.is_active = %(yes)s AND c.path LIKE u.path || '%%'"
    )
    venue = base + " AND c.has_venue = %(yes)s"
    people = (
        base + " AND EXISTS (SELECT 1 FROM orgs_unitmember m WHERE m.org_id = c.id"
        " AND m.role = 'chair' AND m.is_active = %(yes)s)"
    )
    funds = (
        base + " AND EXISTS (SELECT 1 FROM orgs_unitfunding f WHERE f.org_id = c.id"
        " AND f.year = %(year)s)"
    )
    parts = [new_orgs, eligible, covered, covered_joint, reached, grids, grids_reached]
    parts += [grids_led, base, venue, people, funds]
    columns = ", ".join(f"({part}) AS {name}" for part, name in zip(parts, FIGURES, strict=True))
    sql = (
        f"SELECT u.id, {columns} FROM orgs_orgunit u "
        "WHERE u.kind IN ('city', 'district', 'street', 'community') AND u.is_active = %(yes)s"
    )
    params: dict[str, Any] = {"yes": True, "threshold": threshold, "year": year}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            row[0]: dict(zip(FIGURES, (int(value) for value in row[1:]), strict=True))
            for row in cursor.fetchall()
        }
