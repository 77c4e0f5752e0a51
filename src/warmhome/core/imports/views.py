"""Generic import views, bound to a roster's spec by ``core.imports.urls.import_urlpatterns``."""

from typing import Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from warmhome.core.audit.services import export_log, security_event_log
from warmhome.core.imports.reader import max_file_bytes
from warmhome.core.imports.services import (
    importbatch_cancel,
    importbatch_commit_start,
    importbatch_is_stale,
    importbatch_revalidate,
    importbatch_stale_message,
    importbatch_upload,
)
from warmhome.core.imports.spec import ImportSpec, get_spec
from warmhome.core.imports.workbook import XLSX_CONTENT_TYPE, errors_xlsx, template_xlsx
from warmhome.core.models import ImportBatch, ImportRowResult
from warmhome.core.views_base import ScopedDetailView

PREVIEW_ROWS = 200


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件 (.xlsx)"),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )


class CommitForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("导入方式"),
        choices=ImportBatch.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择导入方式。")},
    )


class ImportViewMixin:
    """What every import view of one roster shares: the spec and the URL names."""

    # Set per roster by core.imports.urls.import_urlpatterns (as_view keyword arguments).
    spec_key = ""
    #: URL names: start, template, batch, commit, cancel, errors, list (the roster's page)
    url_names: ClassVar[dict[str, str]] = {}
    request: HttpRequest

    @property
    def spec(self) -> ImportSpec:
        return get_spec(self.spec_key)

    def refuse_without_permission(self) -> None:
        user: Any = self.request.user
        if not user.is_authenticated or not user.has_action(self.spec.permission):
            security_event_log(
                event="permission_denied",
                actor=user,
                detail={"path": self.request.path, "action": self.spec.permission},
            )
            raise PermissionDenied

    def import_context(self) -> dict[str, Any]:
        return {"spec": self.spec, "urls": self.url_names}


class ImportStartView(ImportViewMixin, LoginRequiredMixin, View):
    """The upload form, the template link and the user's recent batches of this roster."""

    scope_exempt = "upload form; the recent batches are ImportBatch.objects.visible_to(user)"
    template_name = "core/import_start.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            self.refuse_without_permission()
        return super().dispatch(request, *args, **kwargs)

    def recent(self) -> QuerySet[ImportBatch]:
        return (
            ImportBatch.objects.visible_to(self.request.user, self.spec.permission)
            .filter(spec_key=self.spec_key, owner=self.request.user)
            .order_by("-created_at")[:10]
        )

    def render_form(self, form: UploadForm) -> HttpResponse:
        context = {
            **self.import_context(),
            "form": form,
            "batches": self.recent(),
            "max_mb": max_file_bytes() // 1048576,
        }
        return render(self.request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(UploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > max_file_bytes():
                form.add_error(
                    "file",
                    _("文件过大：%(size).1f MB，上限为 %(limit)d MB。请拆分后分批导入。")
                    % {"size": upload.size / 1048576, "limit": max_file_bytes() // 1048576},
                )
            else:
                try:
                    batch = importbatch_upload(
                        actor=request.user,
                        spec_key=self.spec_key,
                        file_name=upload.name or "",
                        data=upload.read(),
                    )
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error("file", message)
                else:
                    return redirect(self.url_names["batch"], pk=batch.pk)
        return self.render_form(form)


class ImportTemplateView(ImportViewMixin, LoginRequiredMixin, View):
    scope_exempt = "the empty import template; no records"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.refuse_without_permission()
        response = HttpResponse(template_xlsx(self.spec), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.spec_key}-template.xlsx"'
        return response


class ImportBatchViewBase(ImportViewMixin, ScopedDetailView):
    model = ImportBatch
    context_object_name = "batch"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.action = get_spec(self.spec_key).permission

    def base_queryset(self) -> QuerySet[ImportBatch]:
        return ImportBatch.objects.filter(spec_key=self.spec_key).select_related("job", "owner")

    def get_object(self, queryset: QuerySet[Any] | None = None) -> ImportBatch:
        return cast(ImportBatch, super().get_object(queryset))


class ImportBatchDetailView(ImportBatchViewBase):
    """The preview: status (polled while the worker runs), per-row errors, commit choices."""

    template_name = "core/import_batch.html"

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return [self.template_name + "#status"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        batch: ImportBatch = self.object
        stale = importbatch_is_stale(batch)
        errors = batch.rows.filter(
            status__in=[ImportRowResult.Status.INVALID, ImportRowResult.Status.FAILED]
        ).order_by("row_number")[:PREVIEW_ROWS]
        context.update(
            self.import_context(),
            stale=stale,
            stale_message=importbatch_stale_message(batch) if stale else "",
            running=batch.status
            in {
                ImportBatch.Status.UPLOADED,
                ImportBatch.Status.VALIDATING,
                ImportBatch.Status.COMMITTING,
            }
            and not stale,
            error_rows=errors,
            preview_limit=PREVIEW_ROWS,
            commit_form=CommitForm(
                initial={"mode": ImportBatch.Mode.VALID_ONLY if batch.error_rows else "all"}
            ),
        )
        return context


class ImportBatchCommitView(ImportBatchViewBase):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_object()
        form = CommitForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择导入方式。"))
        else:
            try:
                importbatch_commit_start(
                    actor=request.user, batch=batch, mode=form.cleaned_data["mode"]
                )
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
        return redirect(self.url_names["batch"], pk=batch.pk)


class ImportBatchCancelView(ImportBatchViewBase):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_object()
        try:
            importbatch_cancel(actor=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("已取消该批次导入。"))
        return redirect(self.url_names["batch"], pk=batch.pk)


class ImportBatchRevalidateView(ImportBatchViewBase):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_object()
        try:
            importbatch_revalidate(actor=request.user, batch=batch)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect(self.url_names["batch"], pk=batch.pk)


class ImportBatchErrorsView(ImportBatchViewBase):
    """The rows with errors as .xlsx, the uploaded columns plus an error column."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        batch = self.get_object()
        spec = self.spec
        loaded = spec.loaded_texts
        rows = batch.rows.filter(
            status__in=[ImportRowResult.Status.INVALID, ImportRowResult.Status.FAILED]
        ).order_by("row_number")
        content = errors_xlsx(
            [str(column.header) for column in spec.columns],
            (
                (
                    row.row_number,
                    [loaded(row.values).get(column.key, "") for column in spec.columns],
                    "；".join(
                        f"{error['column']}：{error['message']}"
                        if error["column"]
                        else error["message"]
                        for error in row.errors
                    ),
                )
                for row in rows.iterator(chunk_size=2000)
            ),
        )
        export_log(
            actor=request.user,
            what=f"{ImportBatch._meta.label}:{batch.spec_key}:errors",
            row_count=batch.error_rows + batch.failed_count,
            detail={"batch": batch.pk},
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
        return response


def batch_url(url_names: dict[str, str], batch: ImportBatch) -> str:
    return reverse(url_names["batch"], kwargs={"pk": batch.pk})
