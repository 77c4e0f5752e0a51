from django.urls import URLPattern, URLResolver

app_name = "assistance"
urlpatterns: list[URLPattern | URLResolver] = []
