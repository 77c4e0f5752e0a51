from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warmhome.core.views_base import scope_exempt
from warmhome.portal.pages import public_pages


@scope_exempt("public page: lists the pages modules publish, shows no organisation's records")
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"pages": public_pages()})
