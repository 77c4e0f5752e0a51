from django.urls import path

from warmhome.orgs import views, views_documents, views_import

app_name = "orgs"

urlpatterns = [
    path("", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path(
        "<int:pk>/roster.docx",
        views_documents.OrgUnitRosterDocxView.as_view(),
        name="orgunit_roster_docx",
    ),
    path("import/", views_import.OrgUnitImportView.as_view(), name="orgunit_import"),
    path(
        "import/template/",
        views_import.OrgUnitImportTemplateView.as_view(),
        name="orgunit_import_template",
    ),
    path(
        "import/<int:pk>/",
        views_import.OrgUnitImportBatchView.as_view(),
        name="orgunit_import_batch",
    ),
    path(
        "import/<int:pk>/commit/",
        views_import.OrgUnitImportCommitView.as_view(),
        name="orgunit_import_commit",
    ),
    path(
        "import/<int:pk>/cancel/",
        views_import.OrgUnitImportCancelView.as_view(),
        name="orgunit_import_cancel",
    ),
    path(
        "import/<int:pk>/revalidate/",
        views_import.OrgUnitImportRevalidateView.as_view(),
        name="orgunit_import_revalidate",
    ),
    path(
        "import/<int:pk>/errors.xlsx",
        views_import.OrgUnitImportErrorsView.as_view(),
        name="orgunit_import_errors",
    ),
]
