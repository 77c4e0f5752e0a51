from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from warmhome.core.scoping import get_for_user
from warmhome.core.views_base import ScopedDetailView as _ScopedDetailView
from warmhome.core.views_base import ScopedListView, scope_exempt
from warmhome.people import services
from warmhome.people.forms import PersonForm, ReasonForm, ShieldForm
from warmhome.people.models import Person
from warmhome.people.rendering import person_sensitive_reveal, render_person
from warmhome.people.selectors import search_persons


class ScopedDetailView(_ScopedDetailView):
    def person(self) -> Person:
        return cast("Person", self.get_object())


def _apply_errors(form: Any, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for field_name, errors in problem.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


def _warn(request: HttpRequest, result: services.PersonSaveResult) -> None:
    for warning in result.warnings:
        messages.warning(request, warning)


class PersonListView(ScopedListView):
    model = Person
    template_name = "people/person_list.html"
    context_object_name = "persons"
    paginate_by = 50

    def base_queryset(self) -> Any:
        query = self.request.GET.get("q", "")
        return search_persons(Person.objects.all(), self.request.user, query)

    def get_template_names(self) -> list[str]:
        if getattr(self.request, "htmx", False):
            return ["people/person_list.html#rows"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["rows"] = [
            (person, render_person(person, viewer=self.request.user, context="list"))
            for person in context["persons"]
        ]
        context["may_change"] = self.request.user.has_action("people.change")  # type: ignore[union-attr]
        return context


class PersonDetailView(ScopedDetailView):
    model = Person
    template_name = "people/person_detail.html"
    context_object_name = "person"

    def base_queryset(self) -> Any:
        return Person.objects.select_related("org", "merged_into")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(detail_context(self.request, self.object))
        return context


def detail_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    user: Any = request.user
    return {
        "shown": render_person(person, viewer=user, context="detail"),
        "categories": list(person.categories.all()),
        "consents": list(person.consents.select_related("guardian")),
        "memberships": list(person.memberships.select_related("household")),
        "duplicates": services.probable_duplicates(person, viewer=user),
        "may_change": user.has_action("people.change", person.org),
        "may_shield": user.has_action("people.shield", person.org),
        "may_reveal": user.has_action("people.view_sensitive", person.org)
        and (not person.is_shielded or user.has_action("people.shield", person.org)),
        "reveal_form": ReasonForm(),
    }


class PersonRevealView(ScopedDetailView):
    """POST only: the full ID and phone, once, with the reason written to the audit trail."""

    model = Person
    action = "people.view_sensitive"
    template_name = "people/person_detail.html"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        context = detail_context(request, person)
        form = ReasonForm(request.POST)
        context["reveal_form"] = form
        if form.is_valid():
            try:
                context["revealed"] = person_sensitive_reveal(
                    request.user, person, form.cleaned_data["reason"]
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
        context["person"] = person
        return render(request, self.template_name, context)


@scope_exempt("creates a person in an organisation chosen from the user's own scope")
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_action("people.change"):
        raise PermissionDenied(_("您没有登记人员的权限。"))
    form = PersonForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.person_create(
                actor=user,
                org=form.cleaned_data["org"],
                categories=list(form.cleaned_data["categories"]),
                **form.service_values(),
            )
        except ValidationError as problem:
            _apply_errors(form, problem)
        else:
            messages.success(request, _("已登记人员。"))
            _warn(request, result)
            return redirect("people:person_detail", pk=result.person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


class PersonUpdateView(ScopedDetailView):
    model = Person
    action = "people.change"
    template_name = "people/person_form.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        form = PersonForm(initial=PersonForm.initial_for(person), user=request.user)
        return render(request, self.template_name, {"form": form, "person": person})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        form = PersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                result = services.person_update(
                    actor=request.user,
                    person=person,
                    org=form.cleaned_data["org"],
                    categories=list(form.cleaned_data["categories"]),
                    **form.service_values(),
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已保存。"))
                _warn(request, result)
                return redirect("people:person_detail", pk=person.pk)
        return render(request, self.template_name, {"form": form, "person": person})


class PersonShieldView(ScopedDetailView):
    model = Person
    action = "people.shield"
    template_name = "people/person_shield.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        return render(request, self.template_name, {"person": person, "form": ShieldForm()})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        if request.POST.get("unshield"):
            services.person_unshield(actor=request.user, person=person)
            messages.success(request, _("已解除保护。"))
            return redirect("people:person_detail", pk=person.pk)
        form = ShieldForm(request.POST)
        if form.is_valid():
            try:
                services.person_shield(
                    actor=request.user, person=person, reason=form.cleaned_data["reason"]
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已设为受保护人员。"))
                return redirect("people:person_detail", pk=person.pk)
        return render(request, self.template_name, {"person": person, "form": form})


class PersonMergeView(ScopedDetailView):
    """Merge a probable duplicate (``?other=<pk>``) into this person."""

    model = Person
    action = "people.change"
    template_name = "people/person_merge.html"

    def base_queryset(self) -> Any:
        return Person.objects.select_related("org")

    def _other(self, request: HttpRequest) -> Person | None:
        other_pk = request.POST.get("other") or request.GET.get("other")
        if not other_pk:
            return None
        return get_for_user(self.base_queryset(), request.user, other_pk, self.action)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        other = self._other(request)
        user: Any = request.user
        return render(
            request,
            self.template_name,
            {
                "person": person,
                "other": other,
                "duplicates": services.probable_duplicates(person, viewer=user),
            },
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = self.person()
        other = self._other(request)
        if other is None:
            messages.error(request, _("请选择要合并的重复记录。"))
            return redirect("people:person_merge", pk=person.pk)
        try:
            services.person_merge(actor=request.user, keep=person, merge=other)
        except ValidationError as problem:
            for message in problem.messages:
                messages.error(request, message)
            return HttpResponseRedirect(
                reverse("people:person_merge", args=[person.pk]) + f"?other={other.pk}"
            )
        messages.success(request, _("已合并，重复记录的所有关联已转到本记录。"))
        return redirect("people:person_detail", pk=person.pk)
