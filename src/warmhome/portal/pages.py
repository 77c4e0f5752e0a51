"""The public pages of the portal: a registry that modules add their pages to.

A module registers its pages from its ``AppConfig.ready()`` (certificate check, help-request
form, activity sign-up …); the portal index lists them in ``order``. Every registered page must
be a public view that needs no login and shows only what its module publishes.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True, slots=True)
class PublicPage:
    key: str
    title: str | Promise
    url_name: str
    description: str | Promise = ""
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(slots=True)
class _Registry:
    pages: dict[str, PublicPage] = field(default_factory=dict)


_registry = _Registry()


def register(page: PublicPage) -> PublicPage:
    """Add ``page`` to the portal (a later registration with the same key replaces it)."""
    _registry.pages[page.key] = page
    return page


def unregister(key: str) -> None:
    """Remove the page registered under ``key``, if any."""
    _registry.pages.pop(key, None)


def public_pages() -> list[PublicPage]:
    """The registered pages, in portal order."""
    return sorted(_registry.pages.values(), key=lambda page: (page.order, page.key))
