"""Pages of the 两新 organisation registry, the grids and the gap list."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.orgs import services_new_orgs as services
from warmhome.orgs.forms_new_orgs import GridLeaderForm, NewOrgForm, ReasonForm, WomensOrgForm
from warmhome.orgs.models import OrgKind, OrgUnit
from warmhome.orgs.models_new_orgs import GridLeader, NewOrg
from warmhome.orgs.selectors_coverage import (
    eligibility_threshold,
    grids_without_leader,
    new_orgs_without_womens_org,
    units_without_work,
)

GAP_LIMIT = 200


def _apply_errors(form: Any, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


class NewOrgListView(ScopedListView):
    model = NewOrg
    template_name = "orgs/neworg_list.html"
    context_object_name = "new_orgs"
    paginate_by = 50

    def base_queryset(self) -> Any:
        new_orgs = NewOrg.objects.select_related("org", "womens_org")
        query = self.request.GET.get("q", "").strip()
        if query:
            new_orgs = new_orgs.filter(Q(name__contains=query) | Q(credit_code=query.upper()))
        if self.request.GET.get("inactive") != "1":
            new_orgs = new_orgs.filter(is_active=True)
        return new_orgs.order_by("org__path", "name", "pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["threshold"] = eligibility_threshold()
        context["may_change"] = self.request.user.has_action("orgs.change")  # type: ignore[union-attr]
        return context


@scope_exempt("registers in a community or grid chosen from the user's own orgs.change scope")
@login_required
@require_http_methods(["GET", "POST"])
def new_org_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("orgs.change"):
        raise PermissionDenied(_("您没有登记两新组织的权限。"))
    form = NewOrgForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            new_org = services.new_org_register(
                actor=user, org=form.cleaned_data["org"], **form.service_values()
            )
        except ValidationError as problem:
            _apply_errors(form, problem)
        else:
            messages.success(request, _("已登记两新组织。"))
            return redirect("orgs:neworg_detail", pk=new_org.pk)
    return render(request, "orgs/neworg_form.html", {"form": form, "new_org": None})


class NewOrgDetailView(ScopedDetailView):
    model = NewOrg
    template_name = "orgs/neworg_detail.html"
    context_object_name = "new_org"

    def base_queryset(self) -> Any:
        return NewOrg.objects.select_related("org", "womens_org")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        new_org = cast(NewOrg, self.object)
        user: Any = self.request.user
        threshold = eligibility_threshold()
        partners = []
        if new_org.womens_org_id is not None:
            partners = list(
                NewOrg.objects.visible_to(user)
                .filter(womens_org_id=new_org.womens_org_id)
                .exclude(pk=new_org.pk)
            )
        context.update(
            {
                "threshold": threshold,
                "eligible": new_org.female_employees >= threshold,
                "partners": partners,
                "may_change": new_org.is_active and user.has_action("orgs.change", new_org.org),
                "deactivate_form": ReasonForm(),
            }
        )
        return context


class NewOrgUpdateView(ScopedDetailView):
    model = NewOrg
    action = "orgs.change"
    template_name = "orgs/neworg_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new_org = cast(NewOrg, self.get_object())
        form = NewOrgForm(initial=NewOrgForm.initial_for(new_org), user=request.user)
        return render(request, self.template_name, {"form": form, "new_org": new_org})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new_org = cast(NewOrg, self.get_object())
        form = NewOrgForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.new_org_update(
                    actor=request.user,
                    new_org=new_org,
                    org=form.cleaned_data["org"],
                    **form.service_values(),
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已保存。"))
                return redirect("orgs:neworg_detail", pk=new_org.pk)
        return render(request, self.template_name, {"form": form, "new_org": new_org})


class NewOrgDeactivateView(ScopedDetailView):
    model = NewOrg
    action = "orgs.change"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new_org = cast(NewOrg, self.get_object())
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写停用原因。"))
            return redirect("orgs:neworg_detail", pk=new_org.pk)
        try:
            services.new_org_deactivate(
                actor=request.user, new_org=new_org, reason=form.cleaned_data["reason"]
            )
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已停用该两新组织。"))
        return redirect("orgs:neworg_detail", pk=new_org.pk)


class NewOrgWomensOrgCreateView(ScopedDetailView):
    """Create the women's organisation of a 两新 organisation (单建 or 联建)."""

    model = NewOrg
    action = "orgs.change"
    template_name = "orgs/neworg_womens_org_form.html"

    def base_queryset(self) -> Any:
        return NewOrg.objects.select_related("org")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new_org = cast(NewOrg, self.get_object())
        form = WomensOrgForm(user=request.user, new_org=new_org)
        return render(request, self.template_name, {"form": form, "new_org": new_org})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new_org = cast(NewOrg, self.get_object())
        form = WomensOrgForm(request.POST, user=request.user, new_org=new_org)
        if form.is_valid():
            try:
                result = services.new_org_womens_org_create(
                    actor=request.user,
                    new_org=new_org,
                    partners=list(form.cleaned_data["partners"]),
                    name=form.cleaned_data["name"],
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(
                    request, _("已建立妇女组织“%(name)s”。") % {"name": result.unit.name}
                )
                return redirect("orgs:neworg_detail", pk=new_org.pk)
        return render(request, self.template_name, {"form": form, "new_org": new_org})


#: naming a grid's leader
GRID_CHANGE = "orgs.change"


class GridListView(ScopedListView):
    model = OrgUnit
    template_name = "orgs/grid_list.html"
    context_object_name = "grids"
    paginate_by = 100

    def base_queryset(self) -> Any:
        return OrgUnit.objects.filter(kind=OrgKind.GRID, is_active=True).order_by("path")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        grids = list(context["grids"])
        leaders = {
            leader.org_id: leader
            for leader in GridLeader.objects.current()
            .filter(org__in=grids)
            .select_related("person", "person__org")
        }
        counts: dict[int, int] = {}
        for org_id in NewOrg.objects.filter(org__in=grids, is_active=True).values_list(
            "org_id", flat=True
        ):
            counts[org_id] = counts.get(org_id, 0) + 1
        user: Any = self.request.user
        # The button only where it opens: a grid seen through a view-only post has none.
        context["rows"] = [
            (grid, leaders.get(grid.pk), counts.get(grid.pk, 0), user.has_action(GRID_CHANGE, grid))
            for grid in grids
        ]
        return context


class GridLeaderAssignView(ScopedDetailView):
    """Name the women's leader of a grid (the current one's term ends)."""

    model = OrgUnit
    action = GRID_CHANGE
    template_name = "orgs/grid_leader_form.html"

    def base_queryset(self) -> Any:
        return OrgUnit.objects.filter(kind=OrgKind.GRID)

    def _context(self, grid: OrgUnit, form: GridLeaderForm) -> dict[str, Any]:
        history = GridLeader.objects.filter(org=grid).select_related("person", "person__org")
        return {"grid": grid, "form": form, "history": list(history)}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        grid = cast(OrgUnit, self.get_object())
        form = GridLeaderForm(user=request.user, grid=grid)
        return render(request, self.template_name, self._context(grid, form))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        grid = cast(OrgUnit, self.get_object())
        form = GridLeaderForm(request.POST, user=request.user, grid=grid)
        if form.is_valid():
            try:
                services.grid_leader_assign(
                    actor=request.user,
                    grid=grid,
                    person=form.cleaned_data["person"],
                    title=form.cleaned_data["title"],
                    started_on=form.cleaned_data["started_on"],
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已指定网格妇女负责人。"))
                return redirect("orgs:grid_list")
        return render(request, self.template_name, self._context(grid, form))


class CoverageGapListView(ScopedListView):
    """The gap list: eligible 两新 organisations without a women's organisation (paged), grids
    without a leader and communities and grids without federation work this year."""

    model = NewOrg
    template_name = "orgs/coverage_gaps.html"
    context_object_name = "new_orgs"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return new_orgs_without_womens_org(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        leaderless = grids_without_leader(user)
        idle = units_without_work(user)
        context.update(
            {
                "threshold": eligibility_threshold(),
                "leaderless": [
                    (grid, user.has_action(GRID_CHANGE, grid))  # type: ignore[union-attr]
                    for grid in leaderless[:GAP_LIMIT]
                ],
                "leaderless_count": leaderless.count(),
                "idle": list(idle[:GAP_LIMIT]),
                "idle_count": idle.count(),
                "limit": GAP_LIMIT,
            }
        )
        return context
