"""Legal bases and consents (PIPL) of a person: record one, withdraw one."""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from warmhome.core.views_base import ScopedDetailView
from warmhome.people import services
from warmhome.people.forms import ConsentForm
from warmhome.people.models import Consent, Person
from warmhome.people.rendering import render_person
from warmhome.people.views import _apply_errors


class ConsentCreateView(ScopedDetailView):
    """Record the legal basis (and consent) of one processing purpose for the person ``pk``."""

    model = Person
    action = "people.change"
    template_name = "people/consent_form.html"

    def base_queryset(self) -> Any:
        return Person.objects.select_related("org")

    def _render(self, person: Person, form: ConsentForm) -> HttpResponse:
        shown = render_person(person, viewer=self.request.user, context="detail")
        return render(
            self.request, self.template_name, {"person": person, "shown": shown, "form": form}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = cast("Person", self.get_object())
        return self._render(person, ConsentForm(user=request.user))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = cast("Person", self.get_object())
        form = ConsentForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.consent_record(
                    actor=request.user,
                    person=person,
                    purpose=data["purpose"],
                    legal_basis=data["legal_basis"],
                    version=data["version"],
                    given_at=data["given_at"],
                    channel=data["channel"],
                    guardian=data["guardian"],
                )
            except ValidationError as problem:
                _apply_errors(form, problem)
            else:
                messages.success(request, _("已记录处理依据。"))
                return redirect("people:person_detail", pk=person.pk)
        return self._render(person, form)


class ConsentWithdrawView(ScopedDetailView):
    """Confirm, then record the withdrawal of the consent ``pk``."""

    model = Consent
    action = "people.change"
    template_name = "people/consent_withdraw.html"

    def base_queryset(self) -> Any:
        return Consent.objects.select_related("person", "person__org")

    def _render(self, consent: Consent, error: str = "") -> HttpResponse:
        shown = render_person(consent.person, viewer=self.request.user, context="detail")
        return render(
            self.request,
            self.template_name,
            {"consent": consent, "person": consent.person, "shown": shown, "error": error},
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(cast("Consent", self.get_object()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        consent = cast("Consent", self.get_object())
        try:
            services.consent_withdraw(actor=request.user, consent=consent)
        except ValidationError as problem:
            return self._render(consent, " ".join(problem.messages))
        messages.success(request, _("已记录撤回同意。"))
        return redirect("people:person_detail", pk=consent.person_id)
