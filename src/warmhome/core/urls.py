from django.urls import path

from warmhome.core import views, views_jobs
from warmhome.core.audit import views as audit_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", audit_views.AuditListView.as_view(), name="audit_list"),
    path("audit/export/", audit_views.AuditExportView.as_view(), name="audit_export"),
    path("jobs/<uuid:job_id>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/audit-verify/", views_jobs.job_audit_verify, name="job_audit_verify"),
]
