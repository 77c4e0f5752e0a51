from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginView(auth_views.LoginView):
    scope_exempt = "signing in shows no records"
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """What a locked-out account sees (django-axes calls this)."""
    return render(request, "accounts/locked_out.html", status=403)
