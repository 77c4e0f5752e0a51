"""The API's description: valid OpenAPI, one tag per app, and docs that work offline."""

import re

from django.contrib.staticfiles import finders
from django.test import Client
from openapi_spec_validator import validate

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def test_openapi_json_is_valid_openapi(client: Client, db: None):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    validate(response.json())


def test_every_operation_sits_under_its_apps_prefix_with_that_tag_and_a_summary(
    client: Client, db: None
):
    schema = client.get("/api/openapi.json").json()

    assert schema["paths"], "the API has operations"
    for path, operations in schema["paths"].items():
        match = re.fullmatch(r"/api/(\w+)/.+", path)
        assert match, f"{path} is not under /api/<app>/"
        app = match.group(1)
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            assert operation["tags"] == [app], f"{method} {path} tagged {operation['tags']}"
            assert operation.get("summary"), f"{method} {path} has no summary"


def test_the_foundation_routers_are_mounted(client: Client, db: None):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {"/api/accounts/me", "/api/orgs/units", "/api/orgs/units/{pk}"} <= set(paths)
    assert "/api/core/jobs/{job_id}" in paths


def test_operations_declare_token_and_session_authentication(client: Client, db: None):
    schema = client.get("/api/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_docs_page_loads_everything_from_our_own_static_files(client: Client, db: None):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs must not reach out to a CDN"
    scripts = re.findall(r"<script([^>]*)>", html)
    sources = [re.search(r'src="([^"]+)"', attrs) for attrs in scripts]
    for attrs, source in zip(scripts, sources, strict=True):
        # Inline script is forbidden by the CSP; a JSON data block is not script.
        assert source or 'type="application/json"' in attrs, f"inline <script{attrs}>"
    for source in filter(None, sources):
        path = source.group(1).removeprefix("/static/")
        assert finders.find(path), f"{path} is not among our static files"


def test_docs_page_is_served_under_a_csp_that_allows_only_our_own_scripts(client: Client, db: None):
    response = client.get("/api/docs")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
