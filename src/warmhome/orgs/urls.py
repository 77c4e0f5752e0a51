from django.urls import URLPattern, URLResolver, include, path

from warmhome.core.imports.urls import import_urlpatterns
from warmhome.orgs import views, views_documents, views_manage
from warmhome.orgs.importers import AREA_CODE_IMPORT, ORGUNIT_IMPORT

app_name = "orgs"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.OrgUnitListView.as_view(), name="orgunit_list"),
    path("<int:pk>/", views.OrgUnitDetailView.as_view(), name="orgunit_detail"),
    path(
        "<int:pk>/roster.docx",
        views_documents.OrgUnitRosterDocxView.as_view(),
        name="orgunit_roster_docx",
    ),
    path("<int:pk>/new/", views_manage.OrgUnitCreateView.as_view(), name="orgunit_create"),
    path("<int:pk>/move/", views_manage.OrgUnitMoveView.as_view(), name="orgunit_move"),
    path("<int:pk>/merge/", views_manage.OrgUnitMergeView.as_view(), name="orgunit_merge"),
    path("<int:pk>/rename/", views_manage.OrgUnitRenameView.as_view(), name="orgunit_rename"),
    path(
        "<int:pk>/deactivate/",
        views_manage.OrgUnitDeactivateView.as_view(),
        name="orgunit_deactivate",
    ),
    path("<int:pk>/facts/", views_manage.OrgUnitFactsView.as_view(), name="orgunit_facts"),
    path("<int:pk>/stage/", views_manage.StageRecordView.as_view(), name="stage_record"),
    path("<int:pk>/members/add/", views_manage.UnitMemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/end/", views_manage.UnitMemberEndView.as_view(), name="member_end"),
    path("<int:pk>/funding/", views_manage.UnitFundingView.as_view(), name="funding_record"),
    path("stage-criteria/", views_manage.stage_criterion_list, name="stage_criterion_list"),
    path(
        "stage-criteria/<int:pk>/",
        views_manage.stage_criterion_edit,
        name="stage_criterion_edit",
    ),
]

urlpatterns += import_urlpatterns(
    spec_key=ORGUNIT_IMPORT,
    app_name=app_name,
    model_name="orgunit",
    list_url_name="orgs:orgunit_list",
    start_template="orgs/orgunit_import.html",
)
# The official code list has its own roster under its own prefix (both use "import/...").
urlpatterns += [
    path(
        "area-codes/",
        include(
            import_urlpatterns(
                spec_key=AREA_CODE_IMPORT,
                app_name=app_name,
                model_name="area_code",
                list_url_name="orgs:orgunit_list",
                start_template="orgs/area_code_import.html",
            )
        ),
    )
]

# The 两新 organisation registry, grids and coverage (urls_new_orgs).
from warmhome.orgs.urls_new_orgs import urlpatterns as new_org_urlpatterns  # noqa: E402

urlpatterns += new_org_urlpatterns
