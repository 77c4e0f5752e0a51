from typing import Any

from django.conf import settings
from django.http import HttpRequest

from warmhome.core.navigation import menu_for


def workbench(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.WARMHOME_SITE_NAME,
        "menu": menu_for(getattr(request, "user", None)),
    }
