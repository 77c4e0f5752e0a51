"""The managed list of petition categories: added to, retired or re-mapped by a superuser."""

from django.contrib import admin

from warmhome.rights.models import PetitionCategory


@admin.register(PetitionCategory)
class PetitionCategoryAdmin(admin.ModelAdmin[PetitionCategory]):
    list_display = ["name", "parent", "topic", "code", "order", "is_active"]
    list_filter = ["is_active", "topic"]
