"""The one ninja API object. Each app adds its router from its own ``api.py``.

An app's router is mounted at ``/api/<app>/`` with the tag ``<app>`` (see docs/api.md); every
operation carries a Chinese ``summary`` and ``@scoped(Model)`` or ``@scope_exempt(reason)``.
"""

from ninja import NinjaAPI, Router, Swagger

from warmhome.api import errors
from warmhome.api.auth import api_auth

api = NinjaAPI(
    title="WarmHome API",
    version="1",
    description="温馨家园数据接口。按组织范围授权，与页面使用同一套服务。",
    auth=api_auth(),
    urls_namespace="api",
    # "ninja" is in INSTALLED_APPS, so the docs load Swagger UI from our static files (no CDN);
    # no validator badge, which would call out to validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def mount(app_label: str, router: Router) -> None:
    """Mount ``router`` at ``/api/<app_label>/`` with the tag ``<app_label>``."""
    api.add_router(f"/{app_label}/", router, tags=[app_label])


# Routers: one per app.
from warmhome.accounts.api import router as accounts_router  # noqa: E402
from warmhome.activities.api import router as activities_router  # noqa: E402
from warmhome.assistance.api import router as assistance_router  # noqa: E402
from warmhome.core.api import router as core_router  # noqa: E402
from warmhome.opinions.api import router as opinions_router  # noqa: E402
from warmhome.orgs.api import router as orgs_router  # noqa: E402
from warmhome.people.api import router as people_router  # noqa: E402
from warmhome.rights.api import router as rights_router  # noqa: E402
from warmhome.rights.api_requests import router as rights_requests_router  # noqa: E402
from warmhome.volunteers.api import router as volunteers_router  # noqa: E402

mount("accounts", accounts_router)
mount("activities", activities_router)
mount("assistance", assistance_router)
mount("core", core_router)
mount("opinions", opinions_router)
mount("orgs", orgs_router)
mount("people", people_router)
mount("rights", rights_router)
mount("volunteers", volunteers_router)
api.add_router("/rights/requests/", rights_requests_router, tags=["rights"])
