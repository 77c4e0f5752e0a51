from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from warmhome.accounts.models import ApiToken, Post, Role, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_superuser", "last_login"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (None, {"fields": ("display_name", "phone", "must_change_password")}),
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "admin_duty", "requires_two_factor"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["user", "org", "role", "valid_from", "valid_to", "is_active"]
    raw_id_fields = ["user", "org"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "key_prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["key_prefix", "key_hash"]
