from django.urls import path

from warmhome.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit_list"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
]
