"""A URLconf with a deliberately leaky scoped list view, for the scope-matrix self-check."""

from django.db import models
from django.urls import path

from warmhome.accounts.models import Post
from warmhome.core.views_base import ScopedListView
from warmhome.urls import urlpatterns as project_urlpatterns


class LeakyPostList(ScopedListView):
    model = Post
    template_name = "orgs/orgunit_list.html"

    def get_queryset(self) -> models.QuerySet:
        # The mistake under test: a subclass that skips visible_to but still looks scoped.
        leaked = Post.objects.all()
        leaked._warmhome_scoped = True
        return leaked


# The project's routes stay, so that the page layout (menu, links) renders as usual.
urlpatterns = [*project_urlpatterns, path("leaky/", LeakyPostList.as_view(), name="leaky_list")]
