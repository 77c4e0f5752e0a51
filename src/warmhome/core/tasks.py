"""Background tasks of the platform core."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from warmhome.core.audit.services import security_event_log
from warmhome.core.audit.verify import Problem, verify_chain
from warmhome.core.jobs import JobError, JobProgress, job_start, job_task
from warmhome.core.models import AuditEntry, Job

AUDIT_VERIFY_ACTION = "audit.view"


def _problem_label(problem: str) -> str:
    labels = {
        Problem.ALTERED: _("记录内容被篡改"),
        Problem.MISSING: _("记录缺失（被删除）"),
        Problem.INSERTED: _("记录被插入或调换"),
        Problem.HEAD: _("链头与最后一条记录不一致"),
        Problem.CHECKPOINT: _("清理检查点被篡改"),
    }
    return labels.get(problem, problem)


@job_task
def audit_verify_task(progress: JobProgress) -> dict[str, Any]:
    """Walk the audit hash chain, as ``warmhome audit verify`` does, for an audit administrator."""
    if progress.owner is None or not progress.owner.has_action(AUDIT_VERIFY_ACTION):
        raise PermissionDenied(_("您没有校验审计日志的权限。"))
    total = AuditEntry.objects.count()
    progress.update(0, total, _("正在校验审计日志哈希链"))
    verdict = verify_chain()
    security_event_log(
        event="audit_verify",
        actor=progress.owner,
        outcome="success" if verdict.ok else "failure",
        detail={"verified": verdict.verified, "problem": verdict.problem, "seq": verdict.seq},
    )
    if not verdict.ok:
        raise JobError(
            _(
                "校验未通过：在第 %(seq)s 条审计记录处发现：%(problem)s"
                "（此前 %(verified)d 条完好）。"
            )
            % {
                "seq": verdict.seq,
                "problem": _problem_label(verdict.problem),
                "verified": verdict.verified,
            }
        )
    return {
        "ok": True,
        "verified": verdict.verified,
        "summary": _("已校验 %(count)d 条审计记录，哈希链完整。") % {"count": verdict.verified},
    }


def audit_verify_start(*, actor: Any) -> Job:
    """Start verifying the audit trail in the background for ``actor`` (an audit administrator)."""
    if not actor.has_action(AUDIT_VERIFY_ACTION):
        raise PermissionDenied(_("您没有校验审计日志的权限。"))
    return job_start(actor=actor, task=audit_verify_task, label=_("校验审计日志"))
