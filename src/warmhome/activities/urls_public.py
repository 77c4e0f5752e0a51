from django.urls import path

from warmhome.activities import views_public

app_name = "activities_public"

urlpatterns = [
    path("", views_public.activity_list, name="activity_list"),
    path("<str:code>/", views_public.signup, name="signup"),
    path("<str:code>/check-in/", views_public.checkin, name="checkin"),
]
