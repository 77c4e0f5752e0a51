"""The public help-request form of the portal (no account; rate-limited)."""

from django.urls import URLPattern, URLResolver, path

from warmhome.rights import views_requests

app_name = "rights_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_requests.helprequest_public, name="helprequest_public"),
]
