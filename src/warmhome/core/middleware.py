from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from warmhome.core.request_context import acting_as, client_ip_of


class RequestContextMiddleware:
    """Make the signed-in user and client address the acting context of the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting_as(actor, client_ip_of(request)):
            return self.get_response(request)
