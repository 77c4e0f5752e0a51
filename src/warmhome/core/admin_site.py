"""Django's admin, kept for superusers only; staff status alone opens nothing."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class WarmHomeAdminSite(admin.AdminSite):
    site_header = _("温馨家园 系统后台")
    site_title = _("温馨家园 系统后台")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class WarmHomeAdminConfig(AdminConfig):
    default_site = "warmhome.core.admin_site.WarmHomeAdminSite"
