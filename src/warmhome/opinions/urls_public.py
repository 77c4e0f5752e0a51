from django.urls import path

from warmhome.opinions import views_public

app_name = "opinions_public"

urlpatterns = [
    path("", views_public.public_submit, name="submit"),
]
