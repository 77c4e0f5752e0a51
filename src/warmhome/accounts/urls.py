from django.urls import path

from warmhome.accounts import views, views_admin, views_tokens

app_name = "accounts"

# --- signing in, passwords, two factors (security baseline) ---------------------------------
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/recovery/", views.two_factor_recovery, name="two_factor_recovery"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]

# --- administration of users, roles and posts (三员) -----------------------------------------
urlpatterns += [
    path("users/", views_admin.UserListView.as_view(), name="user_list"),
    path("users/new/", views_admin.UserCreateView.as_view(), name="user_create"),
    path("users/export/", views_admin.UserExportView.as_view(), name="user_export"),
    path("users/<int:pk>/edit/", views_admin.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/disable/", views_admin.UserDisableView.as_view(), name="user_disable"),
    path("users/<int:pk>/enable/", views_admin.UserEnableView.as_view(), name="user_enable"),
    path(
        "users/<int:pk>/password/",
        views_admin.UserPasswordResetView.as_view(),
        name="user_password_reset",
    ),
    path(
        "users/<int:pk>/two-factor/reset/",
        views_admin.UserTwoFactorResetView.as_view(),
        name="user_two_factor_reset",
    ),
    path("roles/", views_admin.RoleListView.as_view(), name="role_list"),
    path("roles/new/", views_admin.RoleCreateView.as_view(), name="role_create"),
    path("roles/<int:pk>/edit/", views_admin.RoleUpdateView.as_view(), name="role_update"),
    path("posts/", views_admin.PostListView.as_view(), name="post_list"),
    path("posts/new/", views_admin.PostCreateView.as_view(), name="post_create"),
    path("posts/<int:pk>/end/", views_admin.PostEndView.as_view(), name="post_end"),
]

# --- personal API tokens ---------------------------------------------------------------------
urlpatterns += [
    path("tokens/", views_tokens.apitoken_list, name="apitoken_list"),
    path("tokens/new/", views_tokens.apitoken_create, name="apitoken_create"),
    path("tokens/<int:pk>/revoke/", views_tokens.apitoken_revoke, name="apitoken_revoke"),
]
