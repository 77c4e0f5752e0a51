"""A user's own messages, and the outbox of failed deliveries for system administrators."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from warmhome.core.views_base import scope_exempt
from warmhome.notifications.models import Message
from warmhome.notifications.selectors import inbox_for, outbox_problems
from warmhome.notifications.services import message_mark_all_read, message_mark_read


class MessageListView(LoginRequiredMixin, ListView[Message]):
    scope_exempt = "the signed-in user's own messages, addressed to her, not an organisation's"
    template_name = "notifications/message_list.html"
    context_object_name = "messages_list"
    paginate_by = 50

    def get_queryset(self) -> models.QuerySet[Message]:
        return inbox_for(self.request.user)


class MessageOutboxView(LoginRequiredMixin, ListView[Message]):
    scope_exempt = (
        "delivery queue for holders of notifications.view_outbox: who was sent what and why it "
        "failed, not an organisation's records"
    )
    template_name = "notifications/message_outbox.html"
    context_object_name = "messages_list"
    paginate_by = 50

    def get_queryset(self) -> models.QuerySet[Message]:
        return outbox_problems(self.request.user)


def _safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:message_list")


@scope_exempt("marks one of the signed-in user's own messages read")
@login_required
@require_POST
def message_read(request: HttpRequest, pk: int) -> HttpResponse:
    message = message_mark_read(actor=request.user, message_id=pk)
    return HttpResponseRedirect(_safe_next(request, message.link))


@scope_exempt("marks the signed-in user's own messages read")
@login_required
@require_POST
def message_read_all(request: HttpRequest) -> HttpResponse:
    message_mark_all_read(actor=request.user)
    return HttpResponseRedirect(reverse("notifications:message_list"))
