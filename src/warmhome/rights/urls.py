from django.urls import URLPattern, URLResolver, include, path

from warmhome.rights import views
from warmhome.rights.views_measures import measure_urls

app_name = "rights"
urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/intake/", views.CaseEditView.as_view(), name="case_edit"),
    path("cases/<int:pk>/submit/", views.CaseSubmitView.as_view(), name="case_submit"),
    path("cases/<int:pk>/addenda/new/", views.AddendumCreateView.as_view(), name="addendum_add"),
    path("cases/<int:pk>/assess/", views.AssessView.as_view(), name="assess"),
    path("cases/<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("cases/<int:pk>/break-glass/", views.BreakGlassView.as_view(), name="break_glass"),
    path("counts/", views.case_counts, name="counts"),
    path("break-glass/", views.BreakGlassReportView.as_view(), name="break_glass_report"),
    path("requests/", include("warmhome.rights.urls_requests")),
    *measure_urls(),
]
