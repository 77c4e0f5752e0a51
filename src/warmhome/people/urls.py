from django.urls import path

from warmhome.people import views, views_consent, views_households, views_import

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("import/", views_import.PersonImportView.as_view(), name="person_import"),
    path(
        "import/template/",
        views_import.PersonImportTemplateView.as_view(),
        name="person_import_template",
    ),
    path(
        "import/<int:pk>/",
        views_import.PersonImportBatchView.as_view(),
        name="person_import_batch",
    ),
    path(
        "import/<int:pk>/commit/",
        views_import.PersonImportCommitView.as_view(),
        name="person_import_commit",
    ),
    path(
        "import/<int:pk>/cancel/",
        views_import.PersonImportCancelView.as_view(),
        name="person_import_cancel",
    ),
    path(
        "import/<int:pk>/revalidate/",
        views_import.PersonImportRevalidateView.as_view(),
        name="person_import_revalidate",
    ),
    path(
        "import/<int:pk>/errors.xlsx",
        views_import.PersonImportErrorsView.as_view(),
        name="person_import_errors",
    ),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("<int:pk>/reveal/", views.PersonRevealView.as_view(), name="person_reveal"),
    path("<int:pk>/shield/", views.PersonShieldView.as_view(), name="person_shield"),
    path("<int:pk>/merge/", views.PersonMergeView.as_view(), name="person_merge"),
    path("households/", views_households.HouseholdListView.as_view(), name="household_list"),
    path(
        "households/<int:pk>/",
        views_households.HouseholdDetailView.as_view(),
        name="household_detail",
    ),
    path("households/new/", views_households.household_create, name="household_create"),
    path(
        "households/<int:pk>/members/add/",
        views_households.HouseholdMemberAddView.as_view(),
        name="household_member_add",
    ),
    path(
        "households/members/<int:pk>/remove/",
        views_households.HouseholdMemberRemoveView.as_view(),
        name="household_member_remove",
    ),
    path(
        "<int:pk>/consents/new/", views_consent.ConsentCreateView.as_view(), name="consent_create"
    ),
    path(
        "consents/<int:pk>/withdraw/",
        views_consent.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
]
