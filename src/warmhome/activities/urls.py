from django.urls import path

from warmhome.activities import views, views_attendance

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path(
        "<int:pk>/transition/", views.ActivityTransitionView.as_view(), name="activity_transition"
    ),
    path("<int:pk>/sign-up/", views.ActivitySignUpView.as_view(), name="activity_signup"),
    path("<int:pk>/summary/", views.ActivitySummaryView.as_view(), name="activity_summary"),
    path("signups/<int:pk>/cancel/", views.SignUpCancelView.as_view(), name="signup_cancel"),
    path("signups/<int:pk>/link/", views.SignUpLinkView.as_view(), name="signup_link"),
    path(
        "<int:pk>/check-in/screen/",
        views_attendance.CheckInScreenView.as_view(),
        name="checkin_screen",
    ),
    path("<int:pk>/check-in/qr.svg", views_attendance.CheckInQrView.as_view(), name="checkin_qr"),
    path("signups/<int:pk>/tick/", views_attendance.SignUpTickView.as_view(), name="signup_tick"),
    path(
        "<int:pk>/tick-person/",
        views_attendance.ActivityTickPersonView.as_view(),
        name="activity_tick_person",
    ),
    path(
        "attendances/<int:pk>/check-out/",
        views_attendance.AttendanceCheckOutView.as_view(),
        name="attendance_check_out",
    ),
    path(
        "<int:pk>/check-out-all/",
        views_attendance.ActivityCheckOutAllView.as_view(),
        name="activity_check_out_all",
    ),
    path(
        "<int:pk>/attendees.xlsx",
        views_attendance.AttendeeExportView.as_view(),
        name="attendee_export",
    ),
    path(
        "<int:pk>/sign-in-sheet.docx",
        views_attendance.SignInSheetView.as_view(),
        name="sign_in_sheet",
    ),
]
