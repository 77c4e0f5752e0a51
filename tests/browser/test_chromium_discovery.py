"""Where no Chromium exists the browser tests skip, unless CI demands them (REQUIRE_BROWSER=1)."""

import pytest

from tests.browser import conftest


def test_missing_chromium_skips_with_the_install_hint(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)

    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        conftest.chromium_path()


def test_missing_chromium_fails_when_the_browser_is_required(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setenv("REQUIRE_BROWSER", "1")

    with pytest.raises(pytest.fail.Exception, match="未找到 Chromium"):
        conftest.chromium_path()
