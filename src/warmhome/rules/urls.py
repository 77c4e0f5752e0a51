from django.urls import path

from warmhome.rules import views

app_name = "rules"

urlpatterns = [
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/<str:key>/", views.policy_detail, name="policy_detail"),
    path("calendar/", views.calendarday_list, name="calendarday_list"),
    path("calendar/add/", views.calendarday_create, name="calendarday_create"),
    path("calendar/<int:pk>/edit/", views.calendarday_update, name="calendarday_update"),
    path("calendar/<int:pk>/delete/", views.calendarday_delete, name="calendarday_delete"),
]
