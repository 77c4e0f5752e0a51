from django.urls import path

from warmhome.core.imports.urls import import_urlpatterns
from warmhome.people import views, views_consent, views_households
from warmhome.people.importers import PERSON_IMPORT

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.person_create, name="person_create"),
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

urlpatterns += import_urlpatterns(
    spec_key=PERSON_IMPORT,
    app_name=app_name,
    model_name="person",
    list_url_name="people:person_list",
    start_template="people/person_import.html",
)
