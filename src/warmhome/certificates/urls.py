from django.urls import path

from warmhome.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_verify_form, name="certificate_verify_form"),
    path("<str:number>/<str:signature>/", views.certificate_verify, name="certificate_verify"),
]
