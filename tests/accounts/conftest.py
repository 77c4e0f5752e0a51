import pytest


@pytest.fixture
def two_factors_on(settings) -> None:
    """Second factors required (the demo runs without), without the throttle's waits."""
    settings.WARMHOME_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
