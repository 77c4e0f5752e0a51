from django.urls import path

from warmhome.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.MessageListView.as_view(), name="message_list"),
    path("<int:pk>/read/", views.message_read, name="message_read"),
    path("read-all/", views.message_read_all, name="message_read_all"),
    path("outbox/", views.MessageOutboxView.as_view(), name="message_outbox"),
]
