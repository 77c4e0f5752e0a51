from django.urls import URLPattern, URLResolver, path

from warmhome.rights import views_requests as views
from warmhome.rights import views_reviews

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.HelpRequestListView.as_view(), name="helprequest_list"),
    path("new/", views.helprequest_intake, name="helprequest_intake"),
    path("statistics/", views.helprequest_stats, name="helprequest_stats"),
    path("statistics.xlsx", views.helprequest_stats_xlsx, name="helprequest_stats_xlsx"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("<int:pk>/", views.HelpRequestDetailView.as_view(), name="helprequest_detail"),
    path("<int:pk>/step/", views.HelpRequestStepView.as_view(), name="helprequest_step"),
    path("<int:pk>/review/", views_reviews.ReviewApplyView.as_view(), name="helprequest_review"),
    path(
        "reviews/<int:pk>/decide/",
        views_reviews.ReviewDecideView.as_view(),
        name="requestreview_decide",
    ),
]
