"""Writes of what is done with opinions: follow-ups, proposals and the analysis reports."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warmhome.core.audit.services import attributed_service
from warmhome.core.workflows.services import transition_apply, workflow_initial
from warmhome.opinions.models import (
    AnalysisReport,
    Opinion,
    OpinionFollowUp,
    Proposal,
    ProposalKind,
    ReportPeriod,
)
from warmhome.opinions.selectors import Period


def _require(actor: Any, action: str, org: Any) -> None:
    if actor is not None and not actor.has_action(action, org):
        raise PermissionDenied(_("您没有在该组织执行此操作的权限。"))


@attributed_service
@transaction.atomic
def followup_assign(
    *, actor: Any, opinion: Opinion, assignee: Any, request: str
) -> OpinionFollowUp:
    """Hand an opinion to ``assignee`` to act on, with the policy's response deadline."""
    if actor is None:
        raise ValidationError(_("交办须由工作人员办理。"))
    _require(actor, "opinions.change", opinion.org)
    errors: dict[str, list[str]] = {}
    if not request.strip():
        errors["request"] = [_("请填写办理要求。")]
    if assignee is None or not assignee.has_action("opinions.change", opinion.org):
        errors["assignee"] = [_("承办人须在该妇情民意所属组织有办理权限。")]
    if errors:
        raise ValidationError(errors)
    return OpinionFollowUp.objects.create(
        org=opinion.org,
        opinion=opinion,
        assignee=assignee,
        request=request.strip(),
        assigned_by=actor,
        **workflow_initial(OpinionFollowUp),
    )


def followup_respond(
    *, actor: Any, followup: OpinionFollowUp, outcome: str, version: int
) -> OpinionFollowUp:
    """Record what was done (through the workflow engine, which checks the version)."""
    transition_apply(
        actor=actor,
        record=followup,
        transition="respond",
        fields={"outcome": outcome},
        expected_version=version,
    )
    return followup


@attributed_service
@transaction.atomic
def proposal_draft(
    *,
    actor: Any,
    org: Any,
    kind: str,
    title: str,
    body: str,
    carrier: Any,
    opinions: Sequence[Opinion],
) -> Proposal:
    """Draft a proposal (提案) or suggestion (建议) from related opinions."""
    if actor is None:
        raise ValidationError(_("提案与建议须由工作人员起草。"))
    _require(actor, "opinions.change", org)
    errors: dict[str, list[str]] = {}
    if kind not in ProposalKind.values:
        errors["kind"] = [_("请选择提案或建议。")]
    if not title.strip():
        errors["title"] = [_("请填写标题。")]
    if not body.strip():
        errors["body"] = [_("请填写正文。")]
    if carrier is None or not carrier.has_action("opinions.submit"):
        errors["carrier"] = [_("领衔人须是人大代表或政协委员（有履职反映权限的账号）。")]
    if not opinions:
        errors["opinions"] = [_("请至少选择一条相关妇情民意。")]
    outside = [item for item in opinions if not item.org.path.startswith(org.path)]
    if outside:
        errors["opinions"] = [_("所选妇情民意须属于本组织或下级组织。")]
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        org=org,
        kind=kind,
        title=title.strip()[:200],
        body=body.strip(),
        carrier=carrier,
        drafted_by=actor,
        **workflow_initial(Proposal),
    )
    proposal.opinions.set(opinions)
    return proposal


@attributed_service
@transaction.atomic
def proposal_edit(*, actor: Any, proposal: Proposal, title: str, body: str) -> Proposal:
    """Change a proposal's text while it is a draft."""
    _require(actor, "opinions.change", proposal.org)
    if proposal.state != "draft":
        raise ValidationError(_("提案或建议提交后不能再修改正文。"))
    if not title.strip() or not body.strip():
        raise ValidationError(_("请填写标题和正文。"))
    proposal.title = title.strip()[:200]
    proposal.body = body.strip()
    proposal.save(update_fields=["title", "body", "updated_at"])
    return proposal


def proposal_transition(
    *,
    actor: Any,
    proposal: Proposal,
    transition: str,
    version: int,
    comment: str = "",
    fields: dict[str, Any] | None = None,
) -> Proposal:
    """Submit, record the reply of, or withdraw a proposal."""
    transition_apply(
        actor=actor,
        record=proposal,
        transition=transition,
        comment=comment,
        fields=fields or {},
        expected_version=version,
    )
    return proposal


def report_title(org: Any, period: Period) -> str:
    return _("%(org)s%(period)s妇情民意分析报告") % {"org": org.name, "period": period.label}


@attributed_service
@transaction.atomic
def report_create(*, actor: Any, org: Any, period: str, year: int, number: int) -> AnalysisReport:
    """Open the draft of an organisation's report for a month or quarter (once per period)."""
    _require(actor, "opinions.report", org)
    if period not in ReportPeriod.values:
        raise ValidationError({"period": [_("请选择月度或季度。")]})
    try:
        span = Period.of(period, year, number)
    except ValueError:
        raise ValidationError({"number": [_("月份应为 1–12，季度应为 1–4。")]}) from None
    existing = AnalysisReport.objects.filter(
        org=org, period=period, year=year, number=number
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return AnalysisReport.objects.create(
                org=org,
                period=period,
                year=year,
                number=number,
                title=report_title(org, span),
            )
    except IntegrityError:
        return AnalysisReport.objects.get(org=org, period=period, year=year, number=number)


@attributed_service
@transaction.atomic
def report_edit(
    *, actor: Any, report: AnalysisReport, problems: str, suggestions: str
) -> AnalysisReport:
    """Write the main problems and the suggestions (对策建议) of a draft report."""
    _require(actor, "opinions.report", report.org)
    locked = AnalysisReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_issued:
        raise ValidationError(_("报告已印发，不能再修改。"))
    locked.problems = problems.strip()
    locked.suggestions = suggestions.strip()
    locked.save(update_fields=["problems", "suggestions", "updated_at"])
    return locked


@attributed_service
@transaction.atomic
def report_issue(*, actor: Any, report: AnalysisReport) -> AnalysisReport:
    """Issue the report: its Word document is frozen as sent and archived."""
    from warmhome.opinions.report_document import report_docx

    _require(actor, "opinions.report", report.org)
    locked = AnalysisReport.objects.select_for_update().select_related("org").get(pk=report.pk)
    if locked.is_issued:
        return locked
    if not locked.suggestions.strip():
        raise ValidationError({"suggestions": [_("请先填写对策建议，再印发报告。")]})
    locked.issued_at = timezone.now()
    locked.issued_by = actor
    locked.document = report_docx(locked)
    locked.save(update_fields=["issued_at", "issued_by", "document", "updated_at"])
    return locked
