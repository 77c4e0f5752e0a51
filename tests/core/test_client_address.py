"""Which address the audit trail records for a request, with and without nginx in front."""

import pytest
from django.test import RequestFactory

from warmhome.core.request_context import client_ip_of


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.WARMHOME_TRUSTED_PROXIES = []

    assert client_ip_of(_request("10.1.2.3", "203.0.113.9")) == "10.1.2.3"


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client(settings):
    settings.WARMHOME_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip_of(_request("127.0.0.1", "198.51.100.7, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.parametrize(
    "forwarded",
    ["not-an-address", "", "127.0.0.1"],
    ids=["malformed", "empty", "only-proxies"],
)
def test_an_unusable_forwarded_header_falls_back_to_the_proxy_address(settings, forwarded):
    settings.WARMHOME_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip_of(_request("127.0.0.1", forwarded)) == "127.0.0.1"


def test_a_client_cannot_forge_its_address_through_an_untrusted_connection(settings):
    settings.WARMHOME_TRUSTED_PROXIES = ["127.0.0.1"]

    assert client_ip_of(_request("192.0.2.50", "127.0.0.1")) == "192.0.2.50"
