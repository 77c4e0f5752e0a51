"""TOTP second factor for administrators and case workers (switchable off for the demo)."""

from binascii import unhexlify

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import Personas
from tests.factories import TEST_PASSWORD
from warmhome.accounts.models import User
from warmhome.accounts.services import user_two_factor_reset
from warmhome.accounts.views import TOTP_SETUP_KEY
from warmhome.core.models import AuditEntry

HOME_URL = reverse("core:home")
SETUP_URL = reverse("accounts:two_factor_setup")
VERIFY_URL = reverse("accounts:two_factor_verify")


def code_for(key_hex: str) -> str:
    return f"{TOTP(unhexlify(key_hex)).token():06d}"


def sign_in(client: Client, user: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.mark.usefixtures("two_factors_on")
@pytest.mark.parametrize(
    "persona", ["case_worker", "system_admin", "security_admin", "audit_admin"]
)
def test_privileged_roles_must_set_up_an_authenticator_first(
    client: Client, personas: Personas, persona: str
) -> None:
    sign_in(client, getattr(personas, persona))

    response = client.get(HOME_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP_URL}?next=%2Fwork%2F"


@pytest.mark.usefixtures("two_factors_on")
def test_setup_page_shows_a_qr_code_as_inline_svg_and_the_secret_as_text(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.case_worker)

    response = client.get(SETUP_URL)

    page = response.content.decode()
    assert "您的岗位须使用双因素认证，设置完成后才能继续使用。" in page
    assert "<svg" in page
    assert "<img" not in page
    secret = response.context["secret"]
    assert len(secret.replace(" ", "")) == 32
    assert secret in page


@pytest.mark.usefixtures("two_factors_on")
def test_setup_with_the_right_code_registers_the_app_and_lets_the_user_in(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.case_worker)
    client.get(SETUP_URL)
    key = client.session[TOTP_SETUP_KEY]

    response = client.post(SETUP_URL, {"token": code_for(key), "next": HOME_URL})

    # First the recovery codes, shown once, then on to where she was going.
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:recovery_codes')}?next=%2Fwork%2F"
    codes_page = client.get(response["Location"])
    assert len(codes_page.context["codes"]) == 10
    assert f'href="{HOME_URL}"' in codes_page.content.decode()
    assert client.get(HOME_URL).status_code == 200
    device = TOTPDevice.objects.get(user=personas.case_worker)
    assert device.confirmed
    assert device.key == key
    assert AuditEntry.objects.filter(
        event="two_factor_setup", actor_username="case_worker", outcome="success"
    ).exists()


@pytest.mark.usefixtures("two_factors_on")
def test_setup_with_a_wrong_code_is_refused_in_chinese_and_registers_nothing(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.case_worker)
    client.get(SETUP_URL)
    key = client.session[TOTP_SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP_URL, {"token": wrong})

    assert response.status_code == 200
    assert "验证码不正确。请确认已扫描本页二维码" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.case_worker).exists()
    # The same secret stays on the page, so the app already scanned still fits.
    assert client.session[TOTP_SETUP_KEY] == key


@pytest.mark.usefixtures("two_factors_on")
def test_a_code_that_is_not_six_digits_gets_a_clear_message(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.case_worker)

    response = client.post(SETUP_URL, {"token": "12ab56"})

    assert "验证码应为 6 位数字。" in response.content.decode()


@pytest.mark.usefixtures("two_factors_on")
def test_every_new_session_asks_for_a_code_and_a_wrong_one_is_audited(
    client: Client, personas: Personas
) -> None:
    device = with_device(personas.case_worker)
    sign_in(client, personas.case_worker)

    assert client.get(HOME_URL)["Location"] == f"{VERIFY_URL}?next=%2Fwork%2F"
    wrong = f"{(int(code_for(device.key)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY_URL, {"token": wrong})

    assert response.status_code == 200
    assert "验证码不正确或已过期" in response.content.decode()
    assert client.get(HOME_URL).status_code == 302
    assert AuditEntry.objects.filter(
        event="two_factor", actor_username="case_worker", outcome="failure"
    ).exists()

    response = client.post(VERIFY_URL, {"token": code_for(device.key), "next": HOME_URL})

    assert response["Location"] == HOME_URL
    assert client.get(HOME_URL).status_code == 200
    assert AuditEntry.objects.filter(
        event="two_factor", actor_username="case_worker", outcome="success"
    ).exists()


@pytest.mark.usefixtures("two_factors_on")
def test_repeated_wrong_codes_are_slowed_down(client: Client, personas: Personas, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = with_device(personas.case_worker)
    sign_in(client, personas.case_worker)
    wrong = f"{(int(code_for(device.key)) + 1) % 1_000_000:06d}"
    client.post(VERIFY_URL, {"token": wrong})

    response = client.post(VERIFY_URL, {"token": code_for(device.key)})

    assert "验证码错误次数过多，请稍等片刻再试。" in response.content.decode()
    assert client.get(HOME_URL).status_code == 302


@pytest.mark.usefixtures("two_factors_on")
def test_password_change_needs_the_code_first_when_an_authenticator_exists(
    client: Client, personas: Personas
) -> None:
    with_device(personas.case_worker)
    sign_in(client, personas.case_worker)

    response = client.get(reverse("accounts:password_change"))

    assert response["Location"].startswith(VERIFY_URL)


@pytest.mark.usefixtures("two_factors_on")
def test_first_sign_in_changes_the_password_then_sets_up_the_authenticator(
    client: Client, personas: Personas
) -> None:
    user = personas.case_worker
    user.must_change_password = True
    user.save()
    sign_in(client, user)

    assert client.get(HOME_URL)["Location"].startswith(reverse("accounts:password_change"))
    new_password = "Autumn-wind-2026"
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert client.get(HOME_URL)["Location"].startswith(SETUP_URL)


@pytest.mark.usefixtures("two_factors_on")
def test_api_session_without_the_second_factor_gets_json_403(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.case_worker)

    response = client.get("/api/accounts/me")

    assert response.status_code == 403
    assert response.json() == {"detail": "请先完成双因素认证。"}


@pytest.mark.usefixtures("two_factors_on")
def test_roles_without_the_requirement_sign_in_with_the_password_alone(
    client: Client, personas: Personas
) -> None:
    sign_in(client, personas.community_a1_cadre)

    assert client.get(HOME_URL).status_code == 200


def test_with_two_factors_switched_off_a_case_worker_goes_straight_in(
    client: Client, personas: Personas, settings
) -> None:
    settings.WARMHOME_REQUIRE_2FA = False
    sign_in(client, personas.case_worker)

    assert client.get(HOME_URL).status_code == 200


@pytest.mark.usefixtures("two_factors_on")
def test_a_reset_authenticator_is_asked_again_and_registered_anew(
    client: Client, personas: Personas
) -> None:
    device = with_device(personas.case_worker)
    sign_in(client, personas.case_worker)
    client.post(VERIFY_URL, {"token": code_for(device.key)})
    assert client.get(HOME_URL).status_code == 200

    user_two_factor_reset(actor=personas.system_admin, user=personas.case_worker)

    assert not TOTPDevice.objects.filter(user=personas.case_worker).exists()
    # The session verified with the lost phone counts no more: set up a new app first.
    assert client.get(HOME_URL)["Location"] == f"{SETUP_URL}?next=%2Fwork%2F"
    entry = AuditEntry.objects.get(event="two_factor_reset")
    assert (entry.actor_username, entry.detail) == ("sysadmin", {"user": "case_worker"})


def test_resetting_an_authenticator_is_refused_for_oneself_without_one_or_without_the_right(
    personas: Personas,
) -> None:
    with_device(personas.system_admin)
    with pytest.raises(ValidationError, match="不能重置自己的验证器"):
        user_two_factor_reset(actor=personas.system_admin, user=personas.system_admin)
    with pytest.raises(ValidationError, match="尚未设置验证器应用"):
        user_two_factor_reset(actor=personas.system_admin, user=personas.case_worker)
    with_device(personas.case_worker)
    with pytest.raises(PermissionDenied):
        user_two_factor_reset(actor=personas.district_staff, user=personas.case_worker)

    assert TOTPDevice.objects.filter(user=personas.case_worker).exists()
    assert TOTPDevice.objects.filter(user=personas.system_admin).exists()
