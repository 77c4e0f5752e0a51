"""The English catalogue is complete, faithful to its placeholders, compiled, and used.

The msgids are Chinese (docs/decisions/0004); ``src/warmhome/locale/en`` is the English UI.
``make messages`` refreshes it (docs/i18n.md); these tests fail when someone adds or changes a
string without translating it, or forgets to recompile the ``.mo``.
"""

import html
import os
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas

SOURCE_DIR = Path(settings.BASE_DIR)
PO_PATH = SOURCE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The options of `make messages`: the extraction below must produce the same catalogue.
MAKEMESSAGES_OPTIONS = {"locale": ["en"], "no_obsolete": True, "add_location": "file"}

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# printf-style conversions as Python's % operator reads them, named or not ("%%" included).
PYTHON_FORMAT = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
BRACE_FORMAT = re.compile(r"\{[^{}]*\}")

Key = tuple[str | None, str]


def load_catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(entry: polib.POEntry, text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    if "python-format" in entry.flags or "%(" in entry.msgid:
        found.update(PYTHON_FORMAT.findall(text))
    if "python-brace-format" in entry.flags or BRACE_FORMAT.search(entry.msgid):
        found.update(BRACE_FORMAT.findall(text))
    return found


def test_english_catalogue_has_no_untranslated_fuzzy_or_obsolete_entry():
    catalogue = load_catalogue()

    assert len(catalogue) > 0
    assert not catalogue.metadata_is_fuzzy, "the catalogue header is marked fuzzy"
    untranslated = [
        entry.msgid for entry in catalogue if not all(text for text in translations(entry))
    ]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    obsolete = [entry.msgid for entry in catalogue.obsolete_entries()]
    assert untranslated == [], f"untranslated in {PO_PATH.name}: {untranslated}"
    assert fuzzy == [], f"fuzzy (check and clear the flag): {fuzzy}"
    assert obsolete == [], f"obsolete entries (run `make messages`): {obsolete}"


def test_english_translations_keep_every_placeholder_of_the_chinese_msgid():
    mismatched = []
    for entry in load_catalogue():
        expected = placeholders(entry, entry.msgid)
        if entry.msgid_plural:
            assert placeholders(entry, entry.msgid_plural) == expected, entry.msgid_plural
        for text in translations(entry):
            if placeholders(entry, text) != expected:
                mismatched.append((entry.msgid, text))

    assert mismatched == [], f"placeholders differ between msgid and msgstr: {mismatched}"


def test_english_translations_contain_no_chinese_characters():
    leftovers = [
        (entry.msgid, text)
        for entry in load_catalogue()
        for text in translations(entry)
        if CJK.search(text)
    ]

    assert leftovers == []


#: Chinese characters and full-width punctuation (a "：" or "（" typed into a template)
CHINESE_TEXT = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
#: what a template may hold untranslated: tags, comments and whole translated blocks
TEMPLATE_MARKUP = re.compile(
    r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}"
    r"|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{%.*?%}|{#.*?#}|{{.*?}}",
    re.S,
)


def test_templates_show_no_chinese_outside_the_translation_tags():
    """Every word and mark a user reads goes through the catalogue; only the language switch
    names Chinese in Chinese."""
    found = []
    for path in sorted((SOURCE_DIR / "templates").rglob("*.html")):
        text = TEMPLATE_MARKUP.sub(" ", path.read_text(encoding="utf-8"))
        found += [(path.name, words) for words in CHINESE_TEXT.findall(text)]

    assert found == [("language_switch.html", "中文")]


def test_compiled_catalogue_matches_the_po_file():
    def compiled_form(entries: list[polib.POEntry]) -> dict[Key, tuple[str, ...]]:
        return {
            entry_key(entry): (entry.msgid_plural, *translations(entry))
            for entry in entries
            if entry.msgid
        }

    catalogue = load_catalogue()
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run `make messages`"

    compiled = compiled_form(list(polib.mofile(str(MO_PATH))))

    assert compiled == compiled_form(catalogue.translated_entries()), (
        f"{MO_PATH.name} is older than {PO_PATH.name}: run `make messages`"
    )


@pytest.fixture
def committed_files() -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in (PO_PATH, MO_PATH)}


@pytest.fixture
def extracted_catalogue(
    committed_files: dict[Path, bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
) -> polib.POFile:
    """The catalogue makemessages builds from the current sources, in a throw-away copy."""
    needed = ("xgettext", "msgmerge", "msguniq", "msgattrib")
    missing = [program for program in needed if shutil.which(program) is None]
    if missing:
        message = f"GNU gettext is not installed (missing {', '.join(missing)})"
        if os.environ.get("REQUIRE_GETTEXT") == "1":
            pytest.fail(f"{message}, and REQUIRE_GETTEXT=1")
        pytest.skip(f"{message}: cannot extract the msgids; set REQUIRE_GETTEXT=1 to fail")
    copy = tmp_path / "warmhome"
    shutil.copytree(
        SOURCE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "static")
    )
    (copy / "locale").mkdir()
    # makemessages writes into LOCALE_PATHS and ./locale: point both at the copy.
    settings.LOCALE_PATHS = [copy / "locale"]  # type: ignore[attr-defined]
    monkeypatch.chdir(copy)

    call_command("makemessages", verbosity=0, **MAKEMESSAGES_OPTIONS)

    return polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def test_catalogue_holds_exactly_the_msgids_of_the_sources(extracted_catalogue: polib.POFile):
    in_sources = {entry_key(entry): entry.msgid_plural for entry in extracted_catalogue}
    in_catalogue = {entry_key(entry): entry.msgid_plural for entry in load_catalogue()}

    not_in_catalogue = sorted(set(in_sources) - set(in_catalogue), key=str)
    no_longer_in_sources = sorted(set(in_catalogue) - set(in_sources), key=str)
    assert not_in_catalogue == [], "new strings: run `make messages` and translate them"
    assert no_longer_in_sources == [], "strings gone from the sources: run `make messages`"
    assert in_catalogue == in_sources, "plural forms differ: run `make messages`"


def test_extraction_leaves_the_repository_catalogue_untouched(
    committed_files: dict[Path, bytes], extracted_catalogue: polib.POFile
):
    assert len(extracted_catalogue) > 0
    assert {path: path.read_bytes() for path in committed_files} == committed_files


class _TextCollector(HTMLParser):
    """Text of the main menu, the page headings and the title, by where it was found."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.texts: dict[str, list[str]] = {"menu": [], "headings": [], "title": []}

    def _area(self) -> str | None:
        if "menu" in self.stack:
            return "menu"
        if "title" in self.stack:
            return "title"
        if any(tag in {"h1", "h2", "h3"} for tag in self.stack):
            return "headings"
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"meta", "link", "input", "br", "img"}:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.stack.append("menu" if tag == "ul" and "navbar-nav" in classes else tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"meta", "link", "input", "br", "img"}:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        area = self._area()
        if area and data.strip():
            self.texts[area].append(" ".join(data.split()))


def page_texts(html: str) -> dict[str, list[str]]:
    collector = _TextCollector()
    collector.feed(html)
    return collector.texts


def test_language_switch_stores_english_in_the_cookie_and_the_workbench_reads_english(
    client: Client, personas: Personas
):
    client.force_login(personas.system_admin)

    switched = client.post(reverse("set_language"), {"language": "en", "next": "/work/"})

    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("core:home"))
    html = response.content.decode()
    texts = page_texts(html)
    assert '<html lang="en">' in html
    assert texts["title"] == ["Workbench · WarmHome"]
    assert {"Workbench", "Administration", "User accounts"} <= set(texts["menu"])
    assert {"My posts", "My to-do list"} <= set(texts["headings"])
    assert "Change password" in html
    assert "Sign out" in html
    # The greeting carries the user's own (Chinese) name: data, not interface.
    greeting, *headings = texts["headings"]
    assert greeting == f"Hello, {personas.system_admin}"
    assert [text for text in texts["menu"] + headings if CJK.search(text)] == []


def test_an_english_browser_still_gets_chinese_until_the_user_switches(
    client: Client, personas: Personas
):
    # Shared office machines often run English systems; cadres read Chinese.
    client.force_login(personas.district_staff)

    response = client.get(reverse("core:home"), headers={"accept-language": "en"})

    texts = page_texts(response.content.decode())
    assert "工作台" in texts["menu"]
    assert "Workbench" not in texts["menu"]


def test_the_language_cookie_gives_english_menus(client: Client, personas: Personas):
    client.force_login(personas.district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("core:home"))

    texts = page_texts(response.content.decode())
    assert {"Organisation network", "Policy parameter", "Holiday schedule"} <= set(texts["menu"])
    assert [text for text in texts["menu"] if CJK.search(text)] == []


def test_pages_are_chinese_by_default(client: Client, personas: Personas):
    client.force_login(personas.system_admin)

    response = client.get(reverse("core:home"))

    html = response.content.decode()
    texts = page_texts(html)
    assert '<html lang="zh-hans">' in html
    assert texts["title"] == ["工作台 · 温馨家园"]
    assert {"工作台", "系统管理", "用户账号"} <= set(texts["menu"])
    assert {"我的岗位", "我的待办"} <= set(texts["headings"])
    assert "Workbench" not in html


def test_default_role_names_are_shown_in_english_to_english_users(
    client: Client, personas: Personas
):
    client.force_login(personas.community_a1_cadre)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = html.unescape(client.get(reverse("core:home")).content.decode())

    assert "Community Women's Federation officer" in page
    assert "社区妇联干部" not in page
