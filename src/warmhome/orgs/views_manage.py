"""Organisation management in the workbench: the tree (create, move, merge, rename, deactivate)
and each unit's facts (mode and venue, stage, people, funds), plus the stage checklist.

Every view is scoped to the unit it changes (``orgs.change``); the services check again and
hold the rules.
"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from warmhome.core.views_base import ScopedDetailView, scope_exempt
from warmhome.orgs import services
from warmhome.orgs.forms import (
    DateForm,
    OrgUnitCreateForm,
    OrgUnitFactsForm,
    OrgUnitMergeForm,
    OrgUnitMoveForm,
    OrgUnitRenameForm,
    StageCriterionForm,
    StageRecordForm,
    UnitFundingForm,
    UnitMemberForm,
)
from warmhome.orgs.models import OrgUnit, StageCriterion, UnitMember
from warmhome.orgs.selectors import unit_facts


def apply_errors(form: forms.Form, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


class UnitFormView(ScopedDetailView):
    """GET shows ``form_class`` for the unit, POST hands it to ``submit``."""

    model = OrgUnit
    action = "orgs.change"
    template_name = "orgs/unit_form.html"
    form_class: type[forms.Form] = forms.Form
    title: Any = ""
    submit_label = ""
    danger = False

    def unit(self) -> OrgUnit:
        return cast(OrgUnit, self.get_object())

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {}

    def initial(self, unit: OrgUnit) -> dict[str, Any]:
        return {}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        raise NotImplementedError

    def success_message(self) -> str:
        return _("已保存。")

    def render_form(self, form: forms.Form, unit: OrgUnit) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "unit": unit,
                "form": form,
                "title": self.title,
                "submit_label": self.submit_label or _("保存"),
                "danger": self.danger,
            },
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.unit()
        form = self.form_class(initial=self.initial(unit), **self.form_kwargs(unit))
        return self.render_form(form, unit)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unit = self.unit()
        form = self.form_class(request.POST, **self.form_kwargs(unit))
        if form.is_valid():
            try:
                target = self.submit(form, unit)
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, self.success_message())
                return redirect("orgs:orgunit_detail", pk=target.pk)
        return self.render_form(form, unit)


class OrgUnitCreateView(UnitFormView):
    """A new unit under this one."""

    form_class = OrgUnitCreateForm

    title = gettext_lazy("新建下级组织")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"parent": unit}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        return services.orgunit_create(actor=self.request.user, parent=unit, **form.cleaned_data)

    def success_message(self) -> str:
        return _("已新建组织。")


class OrgUnitMoveView(UnitFormView):
    form_class = OrgUnitMoveForm

    title = gettext_lazy("调整隶属关系")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"user": self.request.user, "unit": unit}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        return services.orgunit_move(
            actor=self.request.user, unit=unit, new_parent=form.cleaned_data["new_parent"]
        )

    def success_message(self) -> str:
        return _("已调整隶属关系，下级组织和业务记录随之调整。")


class OrgUnitMergeView(UnitFormView):
    form_class = OrgUnitMergeForm
    danger = True

    title = gettext_lazy("合并到其他组织")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"user": self.request.user, "unit": unit}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        result = services.orgunit_merge(
            actor=self.request.user,
            keep=form.cleaned_data["keep"],
            merge=unit,
            on=form.cleaned_data["on"],
        )
        if result.records_left:
            messages.warning(
                self.request,
                _("有 %(count)d 条记录与并入组织已有记录重复，保留在原组织名下。")
                % {"count": sum(result.records_left.values())},
            )
        return result.kept

    def success_message(self) -> str:
        return _("已合并，原组织已停用，历史记录保留。")


class OrgUnitDeactivateView(UnitFormView):
    form_class = DateForm
    danger = True

    title = gettext_lazy("停用组织")

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        return services.orgunit_deactivate(
            actor=self.request.user, unit=unit, on=form.cleaned_data["on"]
        )

    def success_message(self) -> str:
        return _("已停用该组织。")


class OrgUnitRenameView(UnitFormView):
    form_class = OrgUnitRenameForm

    title = gettext_lazy("组织更名")

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        return services.orgunit_rename(
            actor=self.request.user,
            unit=unit,
            name=form.cleaned_data["name"],
            on=form.cleaned_data["on"],
            source=_("工作台更名"),
        )


class OrgUnitFactsView(UnitFormView):
    form_class = OrgUnitFactsForm

    title = gettext_lazy("组建方式与阵地")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"user": self.request.user, "unit": unit}

    def initial(self, unit: OrgUnit) -> dict[str, Any]:
        return OrgUnitFactsForm.initial_for(unit)

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        data = form.cleaned_data
        return services.orgunit_facts_update(
            actor=self.request.user,
            unit=unit,
            establishment_mode=data["establishment_mode"],
            joint_partner_names=data["joint_partner_names"],
            joint_units=list(data["joint_units"]),
            has_venue=data["has_venue"],
            venue_area=data["venue_area"],
            venue_address=data["venue_address"],
        )


class StageRecordView(UnitFormView):
    form_class = StageRecordForm

    title = gettext_lazy("记录建设阶段")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"next_stage": unit_facts(unit, viewer=self.request.user).next_stage}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        data = form.cleaned_data
        services.stage_record(
            actor=self.request.user,
            unit=unit,
            stage=data["stage"],
            reached_on=data["reached_on"],
            evidence=data["evidence"],
            criteria=list(data["criteria"]),
        )
        return unit


class UnitMemberAddView(UnitFormView):
    form_class = UnitMemberForm

    title = gettext_lazy("添加组织成员")

    def form_kwargs(self, unit: OrgUnit) -> dict[str, Any]:
        return {"user": self.request.user, "unit": unit}

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        data = form.cleaned_data
        services.unit_member_add(
            actor=self.request.user,
            unit=unit,
            role=data["role"],
            person=data["person"],
            post=data["post"],
            term_start=data["term_start"],
        )
        return unit


class UnitFundingView(UnitFormView):
    form_class = UnitFundingForm

    title = gettext_lazy("登记年度经费")

    def submit(self, form: Any, unit: OrgUnit) -> OrgUnit:
        data = form.cleaned_data
        services.unit_funding_record(actor=self.request.user, unit=unit, **data)
        return unit


class UnitMemberEndView(ScopedDetailView):
    """POST only: end a member's term."""

    model = UnitMember
    action = "orgs.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = cast(UnitMember, self.get_object())
        try:
            services.unit_member_end(actor=request.user, member=member)
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已办理离任。"))
        return redirect("orgs:orgunit_detail", pk=member.org_id)


# --- the stage checklist (a global managed list) ---------------------------------------------


def _require_checklist(request: HttpRequest) -> None:
    if not request.user.has_action(services.MANAGE_CHECKLIST):  # type: ignore[union-attr]
        raise PermissionDenied(_("您没有维护阶段标准的权限。"))


@scope_exempt("the stage checklist is a global managed list, not org-owned")
@login_required
@require_http_methods(["GET", "POST"])
def stage_criterion_list(request: HttpRequest) -> HttpResponse:
    _require_checklist(request)
    form = StageCriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_criterion_save(actor=request.user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已添加标准。"))
            return redirect("orgs:stage_criterion_list")
    criteria = list(StageCriterion.objects.order_by("stage", "order", "pk"))
    return render(request, "orgs/stage_criterion_list.html", {"criteria": criteria, "form": form})


@scope_exempt("the stage checklist is a global managed list, not org-owned")
@login_required
@require_http_methods(["GET", "POST"])
def stage_criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_checklist(request)
    criterion = get_object_or_404(StageCriterion, pk=pk)
    initial = {
        "stage": criterion.stage,
        "text": criterion.text,
        "order": criterion.order,
        "is_active": criterion.is_active,
    }
    form = StageCriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_criterion_save(
                actor=request.user, criterion=criterion, **form.cleaned_data
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已保存。"))
            return redirect("orgs:stage_criterion_list")
    return render(
        request,
        "orgs/unit_form.html",
        {"form": form, "title": _("修改阶段标准"), "submit_label": _("保存"), "unit": None},
    )
