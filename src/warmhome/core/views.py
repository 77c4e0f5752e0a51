from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from warmhome.core.http import AuthenticatedHttpRequest
from warmhome.core.todo import items_for
from warmhome.core.views_base import scope_exempt


@scope_exempt("the user's own posts and to-do, each source scoped by its module")
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"posts": request.user.current_posts(), "todo_items": items_for(request.user)},
    )
