from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warmhome.core.views_base import scope_exempt


@scope_exempt("public page: shows only what modules publish")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html")
