from django.contrib.auth import views as auth_views
from django.urls import path

from warmhome.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

# Placeholders replaced by the accounts-administration work.
urlpatterns += [
    path("users/", views.LoginView.as_view(), name="user_list"),
    path("roles/", views.LoginView.as_view(), name="role_list"),
    path("posts/", views.LoginView.as_view(), name="post_list"),
]
