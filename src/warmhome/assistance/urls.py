from django.urls import path

from warmhome.assistance import views_fund, views_plans, views_reports

app_name = "assistance"

urlpatterns = [
    path("plans/", views_plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views_plans.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "plans/<int:pk>/followups/new/",
        views_plans.PlanFollowUpView.as_view(),
        name="plan_followup",
    ),
    path("plans/<int:pk>/close/", views_plans.PlanCloseView.as_view(), name="plan_close"),
    path("coverage/", views_plans.coverage, name="coverage"),
    path("levels/", views_plans.LevelListView.as_view(), name="level_list"),
    path(
        "households/<int:pk>/level/",
        views_plans.HouseholdLevelSetView.as_view(),
        name="household_level_set",
    ),
    path("applications/", views_fund.ApplicationListView.as_view(), name="application_list"),
    path("applications/new/", views_fund.application_create, name="application_create"),
    path(
        "applications/<int:pk>/",
        views_fund.ApplicationDetailView.as_view(),
        name="application_detail",
    ),
    path(
        "applications/<int:pk>/transition/",
        views_fund.ApplicationTransitionView.as_view(),
        name="application_transition",
    ),
    path(
        "applications/<int:pk>/evidence/",
        views_fund.EvidenceUploadView.as_view(),
        name="evidence_upload",
    ),
    path("evidence/<int:pk>/", views_fund.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("budgets/", views_fund.BudgetListView.as_view(), name="budget_list"),
    path("budgets/new/", views_fund.budget_grant, name="budget_grant"),
    path("budgets/<int:pk>/", views_fund.BudgetDetailView.as_view(), name="budget_detail"),
    path("budgets/<int:pk>/move/", views_fund.BudgetMoveView.as_view(), name="budget_move"),
    path("reports/fund-use/", views_reports.fund_use, name="fund_use"),
    path("reports/fund-use.xlsx", views_reports.fund_use_xlsx, name="fund_use_xlsx"),
    path("reports/fund-use.docx", views_reports.fund_use_docx, name="fund_use_docx"),
    path("reports/public-notice/", views_reports.public_notice, name="public_notice"),
    path(
        "reports/public-notice.xlsx",
        views_reports.public_notice_xlsx,
        name="public_notice_xlsx",
    ),
]
