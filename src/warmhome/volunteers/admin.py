"""The managed lists (service categories, team kinds): added to or retired by a superuser."""

from django.contrib import admin

from warmhome.volunteers.models import ServiceCategory, TeamKind


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin[ServiceCategory]):
    list_display = ["name", "code", "order", "is_active"]
    list_filter = ["is_active"]


@admin.register(TeamKind)
class TeamKindAdmin(admin.ModelAdmin[TeamKind]):
    list_display = ["name", "code", "order", "is_active"]
    list_filter = ["is_active"]
