"""The shell obeys the Content-Security-Policy: no inline script, no inline style, no handlers."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib import messages
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas


class _InlineCodeFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.offences: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            if names.get("src"):
                self.scripts.append(names["src"] or "")
            else:
                self.offences.append("<script> without src")
        if tag == "style":
            self.offences.append("<style> element")
        if tag == "link" and names.get("rel") == "stylesheet":
            self.stylesheets.append(names.get("href") or "")
        for name, _value in attrs:
            if name == "style":
                self.offences.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.offences.append(f"{name}= on <{tag}>")
            if name.startswith(("hx-on", "data-hx-on")):
                self.offences.append(f"{name}= on <{tag}> (evaluated code)")


def _inspect(html: str) -> _InlineCodeFinder:
    finder = _InlineCodeFinder()
    finder.feed(html)
    return finder


@pytest.mark.parametrize(
    ("url_name", "signed_in"),
    [
        ("core:home", True),
        ("orgs:orgunit_list", True),
        ("accounts:login", False),
        ("portal:index", False),
        ("portal:index", True),
    ],
)
def test_shell_pages_carry_no_inline_script_or_style(
    client: Client, personas: Personas, url_name: str, signed_in: bool
):
    if signed_in:
        client.force_login(personas.community_a1_cadre)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    found = _inspect(response.content.decode())
    assert found.offences == []
    assert all(src.startswith("/static/") for src in found.scripts + found.stylesheets)


def test_error_pages_carry_no_inline_script_or_style(client: Client, personas: Personas):
    client.force_login(personas.community_a1_cadre)

    response = client.get("/work/orgs/999999/")

    assert response.status_code == 404
    assert _inspect(response.content.decode()).offences == []


def test_shell_loads_only_vendored_assets_that_exist(client: Client, personas: Personas):
    from django.contrib.staticfiles import finders

    client.force_login(personas.community_a1_cadre)
    found = _inspect(client.get(reverse("core:home")).content.decode())

    for url in found.scripts + found.stylesheets:
        assert finders.find(url.removeprefix("/static/")), url


def test_htmx_requests_carry_the_csrf_token(client: Client, personas: Personas):
    client.force_login(personas.community_a1_cadre)

    html = client.get(reverse("core:home")).content.decode()

    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_login_page_names_the_site_not_the_host(client: Client, db: None):
    # Django's login view puts the request's host into ``site_name``; the shell must not show it.
    html = client.get(reverse("accounts:login")).content.decode()

    assert "温馨家园" in html
    assert "testserver" not in html


class _SignUpForm(forms.Form):
    name = forms.CharField(label="姓名")
    district = forms.ChoiceField(label="所在区", choices=[("lixia", "历下区")])
    consent = forms.BooleanField(label="同意服务协议")
    channels = forms.MultipleChoiceField(
        label="联系方式",
        choices=[("phone", "电话"), ("sms", "短信")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_form_fields_mark_invalid_widgets_and_show_the_chinese_error():
    form = _SignUpForm(data={"district": "lixia"})
    assert not form.is_valid()

    html = Template('{% include "includes/form_fields.html" with form=form %}').render(
        Context({"form": form})
    )

    assert 'class="form-control is-invalid"' in html
    assert 'class="form-select"' in html
    assert 'class="form-check-input is-invalid"' in html
    assert html.count('class="form-check"') == 3
    assert "这个字段是必填项。" in html


def test_messages_become_bootstrap_alerts_of_the_matching_colour():
    from django.contrib.messages.storage.base import Message

    from warmhome.core.templatetags.warmhome_ui import alert_class

    assert alert_class(Message(messages.ERROR, "保存失败")) == "danger"
    assert alert_class(Message(messages.SUCCESS, "已保存")) == "success"


def test_menu_groups_keep_the_order_of_each_group_first_entry():
    from warmhome.core.navigation import MenuEntry
    from warmhome.core.templatetags.warmhome_ui import menu_groups

    entries = [
        MenuEntry(key="a", label="组织网络", url_name="x", action="x", group="组织"),
        MenuEntry(key="b", label="用户账号", url_name="x", action="x", group="系统管理"),
        MenuEntry(key="c", label="网格", url_name="x", action="x", group="组织"),
    ]

    grouped = menu_groups(entries)

    assert [(group, [e.key for e in members]) for group, members in grouped] == [
        ("组织", ["a", "c"]),
        ("系统管理", ["b"]),
    ]


def test_server_error_page_renders_alone_in_chinese():
    from django.template import loader

    # Django renders 500.html with an empty context: no request, no user, no context processors.
    html = loader.get_template("500.html").render()

    assert "系统出错，请稍后再试。" in html
    assert _inspect(html).offences == []
