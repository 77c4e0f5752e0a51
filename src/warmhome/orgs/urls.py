from django.urls import path

from warmhome.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
]
