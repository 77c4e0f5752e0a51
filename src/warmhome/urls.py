from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from warmhome.api.site import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("warmhome.portal.urls")),
    path("verify/", include("warmhome.certificates.urls")),
    path("activities/", include("warmhome.activities.urls_public")),
    path("help/", include("warmhome.rights.urls_public_requests")),
    path("opinions/", include("warmhome.opinions.urls_public")),
    path("work/", include("warmhome.core.urls")),
    path("accounts/", include("warmhome.accounts.urls")),
    path("work/orgs/", include("warmhome.orgs.urls")),
    path("work/rules/", include("warmhome.rules.urls")),
    path("work/notifications/", include("warmhome.notifications.urls")),
    path("work/people/", include("warmhome.people.urls")),
    path("work/activities/", include("warmhome.activities.urls")),
    path("work/volunteers/", include("warmhome.volunteers.urls")),
    path("work/assistance/", include("warmhome.assistance.urls")),
    path("work/rights/", include("warmhome.rights.urls")),
    path("work/opinions/", include("warmhome.opinions.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
