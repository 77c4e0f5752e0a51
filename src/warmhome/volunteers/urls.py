from django.urls import URLPattern, URLResolver, path

from warmhome.volunteers import views, views_district, views_me, views_records

app_name = "volunteers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.VolunteerListView.as_view(), name="volunteer_list"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("<int:pk>/", views.VolunteerDetailView.as_view(), name="volunteer_detail"),
    path("<int:pk>/edit/", views.VolunteerUpdateView.as_view(), name="volunteer_update"),
    path("<int:pk>/hours/new/", views_records.RecordCreateView.as_view(), name="record_create"),
    path(
        "<int:pk>/certificates/new/",
        views_records.CertificateIssueView.as_view(),
        name="certificate_issue",
    ),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("hours/", views_records.RecordListView.as_view(), name="record_list"),
    path("hours/<int:pk>/", views_records.RecordDetailView.as_view(), name="record_detail"),
    path(
        "certificates/<int:pk>/pdf/",
        views_records.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
    path("corrections/", views_records.CorrectionListView.as_view(), name="correction_list"),
    path(
        "corrections/<int:pk>/",
        views_records.CorrectionDetailView.as_view(),
        name="correction_detail",
    ),
    path("recruit/", views_district.recruit, name="recruit"),
    path("stats/", views_district.stats, name="stats"),
    path("export/<str:what>/", views_district.export, name="export"),
    path("me/", views_me.my_page, name="my_page"),
    path(
        "me/certificates/<int:certificate_id>/pdf/",
        views_me.my_certificate_pdf,
        name="my_certificate_pdf",
    ),
    path(
        "me/certificates/<int:certificate_id>/correction/",
        views_me.my_correction_request,
        name="my_correction_request",
    ),
]
