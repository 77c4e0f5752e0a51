"""Routes of the 两新 organisation registry, grids and coverage (included by ``orgs.urls``)."""

from django.urls import URLPattern, URLResolver, include, path

from warmhome.core.imports.urls import import_urlpatterns
from warmhome.orgs import views_coverage, views_new_orgs
from warmhome.orgs.importers_new_orgs import NEW_ORG_IMPORT

urlpatterns: list[URLPattern | URLResolver] = [
    path("new-orgs/", views_new_orgs.NewOrgListView.as_view(), name="neworg_list"),
    path("new-orgs/new/", views_new_orgs.new_org_create, name="neworg_create"),
    path("new-orgs/<int:pk>/", views_new_orgs.NewOrgDetailView.as_view(), name="neworg_detail"),
    path(
        "new-orgs/<int:pk>/edit/", views_new_orgs.NewOrgUpdateView.as_view(), name="neworg_update"
    ),
    path(
        "new-orgs/<int:pk>/deactivate/",
        views_new_orgs.NewOrgDeactivateView.as_view(),
        name="neworg_deactivate",
    ),
    path(
        "new-orgs/<int:pk>/womens-org/",
        views_new_orgs.NewOrgWomensOrgCreateView.as_view(),
        name="neworg_womens_org_create",
    ),
    path("grids/", views_new_orgs.GridListView.as_view(), name="grid_list"),
    path(
        "grids/<int:pk>/leader/",
        views_new_orgs.GridLeaderAssignView.as_view(),
        name="grid_leader_assign",
    ),
    path("coverage/", views_coverage.coverage, name="coverage"),
    path("coverage/data.json", views_coverage.coverage_data, name="coverage_data"),
    path("coverage/export.xlsx", views_coverage.coverage_export, name="coverage_export"),
    path("coverage/gaps/", views_new_orgs.CoverageGapListView.as_view(), name="coverage_gaps"),
    path(
        "new-orgs/",
        include(
            import_urlpatterns(
                spec_key=NEW_ORG_IMPORT,
                app_name="orgs",
                model_name="neworg",
                list_url_name="orgs:neworg_list",
                start_template="orgs/neworg_import.html",
            )
        ),
    ),
]
