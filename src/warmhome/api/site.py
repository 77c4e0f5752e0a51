"""The one ninja API object. Each app adds its router from its own ``api.py``."""

from ninja import NinjaAPI

from warmhome.api.auth import SessionOrToken

api = NinjaAPI(
    title="WarmHome API",
    version="1",
    description="温馨家园数据接口。按组织范围授权，与页面使用同一套服务。",
    auth=SessionOrToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

# Routers: one per app, mounted at /api/<app>/ with the tag <app>.
from warmhome.accounts.api import router as accounts_router  # noqa: E402
from warmhome.orgs.api import router as orgs_router  # noqa: E402

api.add_router("/accounts/", accounts_router, tags=["accounts"])
api.add_router("/orgs/", orgs_router, tags=["orgs"])
