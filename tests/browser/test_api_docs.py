"""/api/docs renders Swagger UI offline, under the CSP, and can call the API with the session."""

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_offline_without_csp_violations(
    page: Page, console_errors: list[str], live_server, personas: Personas
):
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(live_server.url) or request.url.startswith("data:")
            else outside.append(request.url)
        ),
    )

    page.goto(f"{live_server.url}/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("WarmHome API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.get_by_text("/api/orgs/units/{pk}")).to_be_visible()
    assert outside == []
    assert console_errors == []
