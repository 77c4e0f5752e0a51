from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from warmhome.portal import pages
from warmhome.portal.pages import PublicPage


@pytest.fixture
def certificate_page() -> Iterator[PublicPage]:
    page = pages.register(
        PublicPage(
            key="test_certificate_check",
            title="证书查验",
            url_name="portal:index",
            description="输入证书编号，核验荣誉证书真伪",
            order=10,
        )
    )
    yield page
    pages.unregister(page.key)


def test_portal_opens_without_login_and_offers_the_staff_login(client: Client, db: None):
    response = client.get(reverse("portal:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "工作人员/志愿者登录" in html
    assert reverse("accounts:login") in html
    assert f'action="{reverse("set_language")}"' in html


def test_portal_without_public_pages_shows_an_empty_state(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
):
    # Modules register real pages (the certificate check); this is the portal before any.
    monkeypatch.setattr(pages._registry, "pages", {})
    response = client.get(reverse("portal:index"))

    assert "暂无在线服务" in response.content.decode()


def test_registered_public_page_appears_on_the_portal_index(
    client: Client, db: None, certificate_page: PublicPage
):
    response = client.get(reverse("portal:index"))

    html = response.content.decode()
    assert "证书查验" in html
    assert "输入证书编号，核验荣誉证书真伪" in html
    assert "暂无在线服务" not in html


def test_public_pages_are_listed_in_their_order(certificate_page: PublicPage):
    help_request = pages.register(
        PublicPage(key="test_help", title="求助申请", url_name="portal:index", order=5)
    )
    try:
        keys = [page.key for page in pages.public_pages()]
        assert keys.index("test_help") < keys.index("test_certificate_check")
    finally:
        pages.unregister(help_request.key)
