"""The audit page of the audit administrator (审计管理员): search the trail, export it to Excel.

Entries are scoped like every org-owned record (``AuditEntry.objects.visible_to``); entries
without an organisation show only to holders of a post at a root organisation.
"""

import io
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook

from warmhome.core.audit.forms import AuditFilterForm
from warmhome.core.audit.selectors import auditentry_filter
from warmhome.core.audit.services import EVENT_LABELS, export_log, security_event_log
from warmhome.core.models import AuditEntry
from warmhome.core.scoping import require_scoped
from warmhome.core.views_base import ScopedListView

#: the most rows one Excel export may hold; a wider search must be narrowed first
EXPORT_MAX_ROWS = 100_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _refuse_without(request: HttpRequest, action: str) -> None:
    """404, logged, for a signed-in user whose posts do not grant ``action``."""
    user = request.user
    if user.is_authenticated and not user.has_action(action):
        security_event_log(
            event="access_denied", actor=user, detail={"path": request.path, "action": action}
        )
        raise Http404


def _filtered(request: HttpRequest, entries: QuerySet[AuditEntry]) -> tuple[AuditFilterForm, Any]:
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditFilterForm(params or None)
    if not form.is_bound:
        return form, entries
    if not form.is_valid():
        return form, entries.none()
    return form, auditentry_filter(entries, form.cleaned_data)


class AuditListView(ScopedListView):
    model = AuditEntry
    action = "audit.view"
    template_name = "core/audit_list.html"
    context_object_name = "entries"
    paginate_by = 50

    filter_form: AuditFilterForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _refuse_without(request, self.action)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self) -> QuerySet[AuditEntry]:
        self.filter_form, entries = _filtered(self.request, AuditEntry.objects.order_by("-seq"))
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user  # signed in: LoginRequiredMixin
        params = self.request.GET.copy()
        params.pop("page", None)
        for entry in context["entries"]:
            entry.event_label = EVENT_LABELS.get(entry.event, entry.event)
            entry.changes = _changes_text(entry)
        context.update(
            filter_form=self.filter_form,
            query_string=params.urlencode(),
            event_labels=sorted(EVENT_LABELS.items()),
            can_export=user.has_action("audit.export"),
        )
        return context


class AuditExportView(LoginRequiredMixin, View):
    """The filtered entries as an Excel workbook; needs ``audit.export`` and is itself logged."""

    # Scoped all the same (visible_to(user, "audit.export") + require_scoped below); the matrix
    # cannot read rows out of a workbook, so tests/core/test_audit_views.py checks them.
    scope_exempt = "binary Excel export of AuditEntry.objects.visible_to(user, 'audit.export')"
    action = "audit.export"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _refuse_without(request, self.action)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        scoped = require_scoped(AuditEntry.objects.visible_to(request.user, self.action))
        form, entries = _filtered(request, scoped)
        list_url = f"{reverse('core:audit_list')}?{request.GET.urlencode()}"
        if form.is_bound and not form.is_valid():
            return HttpResponseRedirect(list_url)
        count = entries.count()
        if count > EXPORT_MAX_ROWS:
            messages.error(
                request,
                _("符合条件的记录有 %(count)d 条，超过单次导出上限 %(limit)d 条，请缩小查询范围。")
                % {"count": count, "limit": EXPORT_MAX_ROWS},
            )
            return HttpResponseRedirect(list_url)
        content = _workbook(entries)
        export_log(
            actor=request.user,
            what=AuditEntry._meta.label,
            row_count=count,
            detail={"filters": _filters_of(form)},
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
        return response


def _changes_text(entry: AuditEntry) -> str:
    parts = {
        name: value
        for name, value in (("before", entry.before), ("after", entry.after))
        if value is not None
    }
    if entry.detail:
        parts["detail"] = entry.detail
    return json.dumps(parts, ensure_ascii=False, default=str) if parts else ""


def _filters_of(form: AuditFilterForm) -> dict[str, str]:
    if not form.is_bound:
        return {}
    return {name: str(value) for name, value in form.cleaned_data.items() if value}


def _cell(value: Any) -> Any:
    # A text cell starting like a formula would run as one in Excel (a failed sign-in can put
    # any username here).
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _workbook(entries: QuerySet[AuditEntry]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("审计日志"))
    sheet.append(
        [
            _("序号"),
            _("时间"),
            _("操作人"),
            _("客户端地址"),
            _("类别"),
            _("事件"),
            _("结果"),
            _("数据类型"),
            _("记录编号"),
            _("记录"),
            _("组织路径"),
            _("内容"),
            _("哈希"),
        ]
    )
    for entry in entries.order_by("seq").iterator(chunk_size=2000):
        row = [
            entry.seq,
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_username,
            entry.client_ip or "",
            entry.get_kind_display(),
            str(EVENT_LABELS.get(entry.event, entry.event)),
            entry.outcome,
            entry.model_label,
            entry.object_pk,
            entry.object_repr,
            entry.org_path,
            _changes_text(entry),
            entry.entry_hash,
        ]
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
