"""Legal consultations (法律咨询) given by volunteer lawyers of a legal team."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.people.models import Person
from warmhome.rights.models import HelpRequest, LegalConsultation
from warmhome.rights.workflow_requests import HANDLE

#: the team kind (volunteers' managed list) whose members give legal advice
LEGAL_TEAM_KIND = "legal"


def is_legal_volunteer(volunteer: Any) -> bool:
    """Whether ``volunteer`` is a current member of a legal team (法律服务志愿队)."""
    return bool(
        volunteer.memberships.filter(
            left_on__isnull=True, team__kind__code=LEGAL_TEAM_KIND, team__is_active=True
        ).exists()
    )


@transaction.atomic
def consultation_record(
    *,
    actor: Any,
    lawyer: Any,
    question: str,
    advice: str,
    request: HelpRequest | None = None,
    person: Person | None = None,
    consulted_on: datetime.date | None = None,
    follow_up_needed: bool = False,
) -> LegalConsultation:
    """Record a consultation given by a volunteer lawyer to a person or on a request."""
    if request is None and person is None:
        raise ValidationError({"person": [_("请填写咨询人或关联的求助事项。")]})
    org = request.org if request is not None else person.org  # type: ignore[union-attr]
    if actor is not None and not actor.has_action(HANDLE, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))
    errors: dict[str, list[str]] = {}
    if not is_legal_volunteer(lawyer):
        errors["lawyer"] = [_("请选择法律服务志愿队的志愿律师。")]
    if not question.strip():
        errors["question"] = [_("请填写咨询问题。")]
    if not advice.strip():
        errors["advice"] = [_("请填写法律意见。")]
    day = consulted_on or timezone.localdate()
    if day > timezone.localdate():
        errors["consulted_on"] = [_("咨询日期不能晚于今天。")]
    if errors:
        raise ValidationError(errors)
    return LegalConsultation.objects.create(
        org=org,
        request=request,
        person=person if person is not None else request.person,  # type: ignore[union-attr]
        lawyer=lawyer,
        consulted_on=day,
        question=question.strip(),
        advice=advice.strip(),
        follow_up_needed=follow_up_needed,
        recorded_by=actor,
    )
