"""Production profile: clean deployment checks, secure cookies, HSTS, CSP without inline script."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.factories import TEST_PASSWORD

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER_OR_STYLE = re.compile(r"\s(?:on[a-z]+|style)\s*=", re.IGNORECASE)


def _clean_environment(**overrides: str) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WARMHOME_")}
    # Set by the browser tests' Playwright fixtures; deployment checks rightly refuse it.
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        environment.pop(name, None)
    return {**environment, **overrides}


def _production_environment() -> dict[str, str]:
    return _clean_environment(
        WARMHOME_PROFILE="production",
        WARMHOME_SECRET_KEY="x7Gq2vLm9sKp4Rt8Wz1Yb6Nc3Hd5Jf0Ae2Ui7Ok9Pl4Mn8Bv6Cx1Zs3Dq5Fw0Eh",
        WARMHOME_ALLOWED_HOSTS="example.org",
        WARMHOME_FIELD_ENCRYPTION_KEYS="t1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        WARMHOME_AUDIT_HMAC_KEY="test-only-audit-key-for-the-profile-check",
    )


def _settings_under(environment: dict[str, str], *names: str) -> dict[str, object]:
    program = (
        "import json, warmhome.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {list(names)!r}}}, default=str))"
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", program],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(completed.stdout)


def test_check_deploy_script_reports_nothing() -> None:
    completed = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [str(PROJECT_DIR / "scripts" / "check-deploy.sh")],
        env=_clean_environment(
            WARMHOME=str(BIN_DIR / "warmhome"), PYTHON=sys.executable, PATH=os.environ["PATH"]
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_production_profile_has_secure_cookies_hsts_and_no_debug() -> None:
    values = _settings_under(
        _production_environment(),
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "WARMHOME_REQUIRE_2FA",
        "PASSWORD_HASHERS",
    )

    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["WARMHOME_REQUIRE_2FA"] is True
    assert values["PASSWORD_HASHERS"][0].endswith(".Argon2PasswordHasher")


def test_production_profile_refuses_to_start_without_a_secret_key() -> None:
    environment = _production_environment()
    del environment["WARMHOME_SECRET_KEY"]

    with pytest.raises(subprocess.CalledProcessError) as failed:
        _settings_under(environment, "DEBUG")

    assert "WARMHOME_SECRET_KEY" in failed.value.stderr


def test_production_responses_carry_hsts_and_secure_session_cookie(
    client: Client, personas: Personas, settings
) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = client.post(
        reverse("accounts:login"),
        {"username": "resident", "password": TEST_PASSWORD},
        secure=True,
    )

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_content_security_policy_forbids_inline_script(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:login"))

    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "url_name",
    ["accounts:login", "accounts:password_change", "accounts:two_factor_setup"],
)
def test_security_pages_need_no_inline_script_or_style(
    client: Client, personas: Personas, url_name: str
) -> None:
    if url_name != "accounts:login":
        client.force_login(personas.case_worker)

    page = client.get(reverse(url_name)).content.decode()

    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_HANDLER_OR_STYLE.search(page)


def test_lockout_page_needs_no_inline_script_or_style(client: Client, personas: Personas) -> None:
    for _attempt in range(5):
        response = client.post(
            reverse("accounts:login"), {"username": "resident", "password": "Wrong-pass-123"}
        )

    page = response.content.decode()
    assert response.status_code == 429
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_HANDLER_OR_STYLE.search(page)
