from django.urls import path

from warmhome.core.imports.urls import import_urlpatterns
from warmhome.orgs import views, views_documents
from warmhome.orgs.importers import ORGUNIT_IMPORT

app_name = "orgs"

urlpatterns = [
    path("", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path(
        "<int:pk>/roster.docx",
        views_documents.OrgUnitRosterDocxView.as_view(),
        name="orgunit_roster_docx",
    ),
]

urlpatterns += import_urlpatterns(
    spec_key=ORGUNIT_IMPORT,
    app_name=app_name,
    model_name="orgunit",
    list_url_name="orgs:orgunit_list",
    start_template="orgs/orgunit_import.html",
)
