"""One household, one file (一户一档): household list, creation, members and timeline."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.masking import mask_address
from warmhome.core.views_base import ScopedDetailView, ScopedListView, scope_exempt
from warmhome.people import services
from warmhome.people.forms import HouseholdForm, HouseholdMemberForm
from warmhome.people.models import Household, HouseholdMember
from warmhome.people.rendering import _community_name, render_person
from warmhome.people.timeline import household_timeline
from warmhome.people.views import _apply_errors


class HouseholdListView(ScopedListView):
    model = Household
    template_name = "people/household_list.html"
    context_object_name = "households"

    def base_queryset(self) -> Any:
        return (
            Household.objects.select_related("org", "head", "head__org")
            .annotate(member_count=Count("members"))
            .order_by("pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["may_change"] = self.request.user.has_action("people.change")  # type: ignore[union-attr]
        return context


class HouseholdDetailView(ScopedDetailView):
    model = Household
    template_name = "people/household_detail.html"
    context_object_name = "household"

    def base_queryset(self) -> Any:
        return Household.objects.select_related("org", "head")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        household = cast("Household", self.object)
        user: Any = self.request.user
        members = [
            (member, render_person(member.person, viewer=user, context="list"))
            for member in household.members.select_related("person", "person__org")
        ]
        shielded = any(shown.is_shielded for _member, shown in members)
        context.update(
            {
                "members": members,
                # A shielded member's home is not to be found through her household either.
                "address": ""
                if shielded
                else mask_address(household.address, _community_name(household.org)),
                "address_hidden": shielded and bool(household.address),
                "timeline": household_timeline(household, user),
                "may_change": user.has_action("people.change", household.org),
            }
        )
        return context


@scope_exempt("creates a household in an organisation chosen from the user's own scope")
@login_required
@require_http_methods(["GET", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("people.change"):
        raise PermissionDenied(_("您没有建立家庭档案的权限。"))
    form = HouseholdForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                actor=user,
                org=form.cleaned_data["org"],
                address=form.cleaned_data["address"],
                head=form.cleaned_data["head"],
            )
        except ValidationError as problem:
            _apply_errors(form, problem)
        else:
            messages.success(request, _("已建立家庭档案。"))
            return redirect("people:household_detail", pk=household.pk)
    return render(request, "people/household_form.html", {"form": form})


class HouseholdMemberAddView(ScopedDetailView):
    """Add a member to the household ``pk``."""

    model = Household
    action = "people.change"
    template_name = "people/household_member_form.html"

    def base_queryset(self) -> Any:
        return Household.objects.select_related("org", "head")

    def _render(self, household: Household, form: HouseholdMemberForm) -> HttpResponse:
        return render(self.request, self.template_name, {"household": household, "form": form})

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = cast("Household", self.get_object())
        return self._render(household, HouseholdMemberForm(user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = cast("Household", self.get_object())
        form = HouseholdMemberForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.household_member_add(
                    actor=request.user,
                    household=household,
                    person=form.cleaned_data["person"],
                    relationship=form.cleaned_data["relationship"],
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已添加家庭成员。"))
                return redirect("people:household_detail", pk=household.pk)
        return self._render(household, form)


class HouseholdMemberRemoveView(ScopedDetailView):
    """Confirm, then remove the membership ``pk`` (the person's record stays)."""

    model = HouseholdMember
    action = "people.change"
    template_name = "people/household_member_remove.html"

    def base_queryset(self) -> Any:
        return HouseholdMember.objects.select_related(
            "household", "household__org", "person", "person__org"
        )

    def _render(self, member: HouseholdMember, error: str = "") -> HttpResponse:
        shown = render_person(member.person, viewer=self.request.user, context="list")
        return render(
            self.request,
            self.template_name,
            {"member": member, "household": member.household, "shown": shown, "error": error},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(cast("HouseholdMember", self.get_object()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = cast("HouseholdMember", self.get_object())
        try:
            services.household_member_remove(actor=request.user, member=member)
        except ValidationError as problem:
            return self._render(member, " ".join(problem.messages))
        messages.success(request, _("已将该成员移出家庭户，记录已留存。"))
        return redirect("people:household_detail", pk=member.household_id)
