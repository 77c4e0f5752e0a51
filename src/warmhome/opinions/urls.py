from django.urls import path

from warmhome.core.imports.urls import import_urlpatterns
from warmhome.opinions import views, views_analysis, views_reports
from warmhome.opinions.importers import OPINION_IMPORT

app_name = "opinions"

urlpatterns = [
    path("", views.OpinionListView.as_view(), name="opinion_list"),
    path("new/", views.opinion_submit, name="opinion_submit"),
    path("mine/", views.my_opinions, name="my_opinions"),
    path("<int:pk>/", views.OpinionDetailView.as_view(), name="opinion_detail"),
    path("<int:pk>/relabel/", views.OpinionRelabelView.as_view(), name="opinion_relabel"),
    path("<int:pk>/assign/", views.OpinionAssignView.as_view(), name="opinion_assign"),
    path(
        "followups/<int:pk>/respond/",
        views.FollowUpRespondView.as_view(),
        name="followup_respond",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("analysis/", views_analysis.analysis, name="analysis"),
    path("analysis/topics/", views_analysis.analysis_topic, name="analysis_topic"),
    path("rules/", views_analysis.KeywordRuleListView.as_view(), name="rule_list"),
    path("rules/new/", views_analysis.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views_analysis.KeywordRuleEditView.as_view(), name="rule_edit"),
    path("subtopics/", views_analysis.subtopic_list, name="subtopic_list"),
    path("subtopics/<int:pk>/", views_analysis.subtopic_edit, name="subtopic_edit"),
    path("models/", views_analysis.model_list, name="model_list"),
    path("models/train/", views_analysis.model_train, name="model_train"),
    path("reports/", views_reports.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views_reports.report_create, name="report_create"),
    path("reports/<int:pk>/", views_reports.ReportDetailView.as_view(), name="report_detail"),
    path(
        "reports/<int:pk>/download/",
        views_reports.ReportDownloadView.as_view(),
        name="report_download",
    ),
    path("proposals/", views_reports.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views_reports.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views_reports.ProposalDetailView.as_view(), name="proposal_detail"),
    path(
        "proposals/<int:pk>/transition/",
        views_reports.ProposalTransitionView.as_view(),
        name="proposal_transition",
    ),
]

urlpatterns += import_urlpatterns(
    spec_key=OPINION_IMPORT,
    app_name=app_name,
    model_name="opinion",
    list_url_name="opinions:opinion_list",
    start_template="opinions/opinion_import.html",
)
