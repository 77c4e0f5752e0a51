"""The export for the national volunteer system (中国志愿服务网): volunteers and hour records.

The column layout is documented in docs/volunteers-export.md. Full ID numbers and mobiles are
written only for volunteers over whose organisation the exporter holds ``people.view_sensitive``
(and ``people.shield`` for a shielded person); otherwise they are masked, as everywhere.
"""

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.imports.export import ExportColumn, export_queryset
from warmhome.core.masking import mask_citizen_id, mask_mobile
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.volunteers.models import ServiceRecord, Volunteer
from warmhome.volunteers.workflows import COUNTED_STATES


class _Sensitive:
    """Whether the exporter may write a person's ID and mobile in full (cached per org)."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self._cache: dict[tuple[int, bool], bool] = {}

    def full(self, person: Person) -> bool:
        key = (person.org_id, person.is_shielded)
        if key not in self._cache:
            allowed = self.actor.has_action("people.view_sensitive", person.org)
            if person.is_shielded:
                allowed = allowed and self.actor.has_action("people.shield", person.org)
            self._cache[key] = bool(allowed)
        return self._cache[key]

    def citizen_id(self, person: Person) -> str:
        return person.citizen_id if self.full(person) else mask_citizen_id(person.citizen_id)

    def phone(self, person: Person) -> str:
        return person.phone if self.full(person) else mask_mobile(person.phone)


def _local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def volunteer_columns(actor: Any) -> list[ExportColumn]:
    sensitive = _Sensitive(actor)

    def name(volunteer: Volunteer) -> str:
        return render_person(volunteer.person, viewer=actor, context="export").name

    return [
        (_("姓名"), 12, name),
        (_("证件类型"), 12, lambda v: _("居民身份证")),
        (_("证件号码"), 22, lambda v: sensitive.citizen_id(v.person)),
        (_("性别"), 6, lambda v: v.person.get_sex_display()),
        (
            _("出生日期"),
            12,
            lambda v: v.person.birth_date.isoformat() if v.person.birth_date else "",
        ),
        (_("手机号码"), 14, lambda v: sensitive.phone(v.person)),
        (_("志愿者编号"), 18, lambda v: v.number or ""),
        (_("中国志愿服务网编号"), 20, lambda v: v.national_number),
        (_("服务类别"), 24, lambda v: "、".join(c.name for c in v.categories.all())),
        (_("特长技能"), 20, lambda v: v.skills),
        (_("服务区域"), 24, lambda v: "、".join(a.name for a in v.service_areas.all())),
        (_("注册日期"), 12, lambda v: v.joined_on.isoformat()),
        (_("登记单位"), 24, lambda v: v.org.name),
        (_("状态"), 8, lambda v: v.get_status_display()),
    ]


def volunteers_xlsx(*, actor: Any) -> bytes:
    volunteers = (
        Volunteer.objects.visible_to(actor, "volunteers.export")
        .select_related("person", "person__org", "org")
        .prefetch_related("categories", "service_areas")
        .order_by("org__path", "pk")
    )
    return export_queryset(
        actor=actor,
        queryset=volunteers,
        columns=volunteer_columns(actor),
        title=_("志愿者信息"),
        detail={"layout": "zgzyfw.volunteers.v1"},
    )


def record_columns(actor: Any) -> list[ExportColumn]:
    sensitive = _Sensitive(actor)

    def name(record: ServiceRecord) -> str:
        return render_person(record.volunteer.person, viewer=actor, context="export").name

    return [
        (_("记录编号"), 10, lambda r: r.pk),
        (_("志愿者姓名"), 12, name),
        (_("证件类型"), 12, lambda r: _("居民身份证")),
        (_("证件号码"), 22, lambda r: sensitive.citizen_id(r.volunteer.person)),
        (_("志愿者编号"), 18, lambda r: r.volunteer.number or ""),
        (_("中国志愿服务网编号"), 20, lambda r: r.volunteer.national_number),
        (_("活动名称"), 30, lambda r: r.activity_title),
        (_("服务类别"), 12, lambda r: r.category.name if r.category else ""),
        (_("服务日期"), 12, lambda r: r.service_date.isoformat()),
        (_("开始时间"), 17, lambda r: _local(r.started_at)),
        (_("结束时间"), 17, lambda r: _local(r.ended_at)),
        (_("服务时长（小时）"), 10, lambda r: float(r.hours)),
        (_("服务内容"), 40, lambda r: r.content),
        (_("记录单位"), 24, lambda r: r.org.name),
    ]


def records_xlsx(*, actor: Any, year: int) -> bytes:
    records = (
        ServiceRecord.objects.visible_to(actor, "volunteers.export")
        .filter(
            state__in=COUNTED_STATES,
            service_date__gte=datetime.date(year, 1, 1),
            service_date__lte=datetime.date(year, 12, 31),
        )
        .select_related(
            "volunteer", "volunteer__person", "volunteer__person__org", "org", "category"
        )
        .order_by("service_date", "pk")
    )
    return export_queryset(
        actor=actor,
        queryset=records,
        columns=record_columns(actor),
        title=_("志愿服务记录"),
        detail={"layout": "zgzyfw.records.v1", "year": year},
    )
