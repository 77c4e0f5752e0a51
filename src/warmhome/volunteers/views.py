"""Volunteer profiles and teams."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.people.models import Person
from warmhome.people.rendering import render_person
from warmhome.people.selectors import person_search
from warmhome.volunteers import selectors, services
from warmhome.volunteers.forms import (
    MemberAddForm,
    TeamForm,
    VolunteerCreateForm,
    VolunteerUpdateForm,
)
from warmhome.volunteers.models import Team, TeamMember, Volunteer, VolunteerStatus
from warmhome.volunteers.workflows import SERVICE_RECORD


def apply_errors(form: Any, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


class VolunteerListView(ScopedListView):
    model = Volunteer
    action = "volunteers.view"
    template_name = "volunteers/volunteer_list.html"
    context_object_name = "volunteers"

    def base_queryset(self) -> Any:
        volunteers = Volunteer.objects.select_related("person", "org").order_by("org__path", "pk")
        status = self.request.GET.get("status", "")
        if status in VolunteerStatus.values:
            volunteers = volunteers.filter(status=status)
        number = self.request.GET.get("number", "").strip()
        if number:
            volunteers = volunteers.filter(number=number.upper())
        return volunteers

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user: Any = self.request.user
        context["rows"] = [
            (volunteer, render_person(volunteer.person, viewer=user, context="list"))
            for volunteer in context["volunteers"]
        ]
        context["statuses"] = VolunteerStatus.choices
        context["status"] = self.request.GET.get("status", "")
        context["may_change"] = user.has_action("volunteers.change")
        context["may_export"] = user.has_action("volunteers.export")
        return context


class VolunteerDetailView(ScopedDetailView):
    model = Volunteer
    action = "volunteers.view"
    template_name = "volunteers/volunteer_detail.html"
    context_object_name = "volunteer"

    def base_queryset(self) -> Any:
        return Volunteer.objects.select_related("person", "person__org", "org", "user")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        volunteer: Volunteer = self.object
        user: Any = self.request.user
        context.update(
            shown=render_person(volunteer.person, viewer=user, context="detail"),
            totals=selectors.volunteer_totals(volunteer),
            records=[
                (record, SERVICE_RECORD.state_label(record.state))
                for record in selectors.volunteer_records(volunteer)[:50]
            ],
            # a team above the viewer's organisation is named without a link she cannot open
            memberships=[
                (membership, user.has_action("volunteers.view", membership.team.org))
                for membership in volunteer.memberships.select_related("team", "team__org")
            ],
            certificates=list(volunteer.certificates.select_related("certificate")),
            categories=list(volunteer.categories.all()),
            areas=list(volunteer.service_areas.all()),
            may_change=user.has_action("volunteers.change", volunteer.org),
            may_certify=user.has_action("volunteers.certify"),
        )
        return context


def _find_person(user: Any, query: str) -> Person:
    text = query.strip()
    if text.startswith("#") and text[1:].isdigit():
        found = list(
            Person.objects.visible_to(user, "people.view").current().filter(pk=int(text[1:]))
        )
    else:
        found = list(person_search(user, text)[:2])
    if not found:
        raise ValidationError({"person_query": [_("没有找到此人，请先在人员信息库登记。")]})
    if len(found) > 1:
        raise ValidationError(
            {"person_query": [_("找到不止一人，请改用身份证号或人员编号（#编号）。")]}
        )
    return found[0]


@scope_exempt("registers a volunteer in an organisation chosen from the user's own scope")
@login_required
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("volunteers.change"):
        raise PermissionDenied(_("您没有登记志愿者的权限。"))
    form = VolunteerCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer = services.volunteer_register(
                actor=user,
                person=_find_person(user, data["person_query"]),
                org=data["org"],
                skills=data["skills"],
                categories=data["categories"],
                availability=data["availability"],
                service_areas=data["service_areas"],
                joined_on=data["joined_on"],
                guardian_consent=data["guardian_consent"],
            )
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已登记志愿者。"))
            return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
    return render(request, "volunteers/form.html", {"form": form, "title": _("登记志愿者")})


class VolunteerUpdateView(ScopedDetailView):
    model = Volunteer
    action = "volunteers.change"
    template_name = "volunteers/form.html"

    def _render(self, form: Any) -> HttpResponse:
        return render(
            self.request, self.template_name, {"form": form, "title": _("修改志愿者信息")}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer: Any = self.get_object()
        initial = {
            "skills": volunteer.skills,
            "categories": list(volunteer.categories.all()),
            "availability": volunteer.availability,
            "service_areas": list(volunteer.service_areas.all()),
            "status": volunteer.status,
            "national_number": volunteer.national_number,
            "username": volunteer.user.username if volunteer.user else "",
        }
        return self._render(VolunteerUpdateForm(initial=initial, user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        volunteer: Any = self.get_object()
        form = VolunteerUpdateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                values = dict(form.cleaned_data)
                username = values.pop("username")
                with transaction.atomic():
                    services.volunteer_update(actor=request.user, volunteer=volunteer, **values)
                    services.volunteer_link_account(
                        actor=request.user, volunteer=volunteer, username=username
                    )
            except ValidationError as problem:
                apply_errors(form, problem)
            else:
                messages.success(request, _("已保存。"))
                return redirect("volunteers:volunteer_detail", pk=volunteer.pk)
        return self._render(form)


# --- teams -----------------------------------------------------------------------------------


class TeamListView(ScopedListView):
    model = Team
    action = "volunteers.view"
    template_name = "volunteers/team_list.html"
    context_object_name = "teams"

    def base_queryset(self) -> Any:
        from django.db.models import Count, Q

        return (
            Team.objects.select_related("org", "kind")
            .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
            .order_by("org__path", "name", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_change"] = self.request.user.has_action("volunteers.change")  # type: ignore[union-attr]
        return context


class TeamDetailView(ScopedDetailView):
    model = Team
    action = "volunteers.view"
    template_name = "volunteers/team_detail.html"
    context_object_name = "team"

    def base_queryset(self) -> Any:
        return Team.objects.select_related("org", "kind")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        team: Team = self.object
        user: Any = self.request.user
        members = team.members.filter(left_on__isnull=True).select_related(
            "volunteer", "volunteer__person", "volunteer__person__org"
        )
        context.update(
            rows=[
                (member, render_person(member.volunteer.person, viewer=user, context="list"))
                for member in members
            ],
            categories=list(team.categories.all()),
            may_change=user.has_action("volunteers.change", team.org),
            member_form=kwargs.get("member_form") or MemberAddForm(),
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Add a member (by volunteer number) or mark one as left (``remove=<member pk>``)."""
        team: Any = self.get_object()
        self.object = team
        user: Any = request.user
        if not user.has_action("volunteers.change", team.org):
            raise PermissionDenied(_("您没有维护该队伍的权限。"))
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            member = TeamMember.objects.filter(team=team, pk=int(remove)).first()
            if member is not None:
                services.team_member_remove(actor=user, member=member)
                messages.success(request, _("已记录离队。"))
            return redirect("volunteers:team_detail", pk=team.pk)
        form = MemberAddForm(request.POST)
        if form.is_valid():
            volunteer = (
                Volunteer.objects.visible_to(user, "volunteers.view")
                .filter(number=form.cleaned_data["volunteer_number"].strip().upper())
                .first()
            )
            if volunteer is None:
                form.add_error("volunteer_number", _("没有找到该编号的志愿者。"))
            else:
                try:
                    services.team_member_add(
                        actor=user, team=team, volunteer=volunteer, role=form.cleaned_data["role"]
                    )
                except ValidationError as problem:
                    apply_errors(form, problem)
                else:
                    messages.success(request, _("已加入队伍。"))
                    return redirect("volunteers:team_detail", pk=team.pk)
        return self.render_to_response(self.get_context_data(member_form=form))


@scope_exempt("creates a team in an organisation chosen from the user's own scope")
@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("volunteers.change"):
        raise PermissionDenied(_("您没有建立队伍的权限。"))
    form = TeamForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(actor=user, **form.cleaned_data)
        except ValidationError as problem:
            apply_errors(form, problem)
        else:
            messages.success(request, _("已建立队伍。"))
            return redirect("volunteers:team_detail", pk=team.pk)
    return render(request, "volunteers/form.html", {"form": form, "title": _("建立志愿者队伍")})
