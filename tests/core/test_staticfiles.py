"""Static URLs are worked out once per name, and are the ones Django's storages give."""

import json
from pathlib import Path

from django.contrib.staticfiles import storage as django_storage
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.test import override_settings

from warmhome.core.staticfiles import ManifestStaticFilesStorage, StaticFilesStorage

NAME = "vendor/tabler-1.6.1/css/tabler.min.css"


def test_a_static_url_is_django_s_and_is_worked_out_once() -> None:
    first = static(NAME)
    assert isinstance(staticfiles_storage._wrapped, StaticFilesStorage)
    assert first == django_storage.StaticFilesStorage().url(NAME)
    memo = staticfiles_storage._url_of
    hits = memo.cache_info().hits
    assert static(NAME) == first
    assert memo.cache_info().hits == hits + 1


def test_a_new_static_url_setting_is_followed() -> None:
    before = static(NAME)
    with override_settings(STATIC_URL="/assets/"):
        assert static(NAME) == f"/assets/{NAME}"
    assert static(NAME) == before


def test_the_manifest_storage_gives_the_hashed_name_and_forcing_bypasses_the_memo(
    tmp_path: Path,
) -> None:
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"site.css": "site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    storage = ManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("site.css") == "/static/site.0123abcd.css"
    assert storage.url("site.css") == "/static/site.0123abcd.css"
    assert storage._url_of.cache_info().hits == 1
    assert storage.url("site.css", force=True) == "/static/site.0123abcd.css"
    assert storage._url_of.cache_info().hits == 1
