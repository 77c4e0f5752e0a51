"""The rotating check-in code: a signed, timestamped token for one activity.

The organiser's screen shows a QR code of the public check-in link with a fresh token and
replaces it before it expires (``activities.checkin_qr_seconds``). A phone that opens the link
in time receives a second, longer-lived *form* token, so that typing a name and phone number
does not race the screen; a photo of an old QR code sent to someone at home is refused.
"""

from django.core import signing

QR_SALT = "warmhome.activities.checkin.qr"
FORM_SALT = "warmhome.activities.checkin.form"
#: how long a phone has to fill in the check-in form after opening a valid QR link
FORM_SECONDS = 10 * 60


class TokenExpiredError(Exception):
    pass


class TokenInvalidError(Exception):
    pass


def qr_token(public_code: str) -> str:
    return signing.TimestampSigner(salt=QR_SALT).sign(public_code)


def form_token(public_code: str) -> str:
    return signing.TimestampSigner(salt=FORM_SALT).sign(public_code)


def _check(token: str, public_code: str, salt: str, max_age: int) -> None:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token or "", max_age=max_age)
    except signing.SignatureExpired as expired:
        raise TokenExpiredError from expired
    except signing.BadSignature as bad:
        raise TokenInvalidError from bad
    if value != public_code:
        raise TokenInvalidError


def qr_token_check(token: str, public_code: str, max_age: int) -> None:
    """Raise ``TokenExpiredError`` / ``TokenInvalidError`` unless ``token`` is fresh for it."""
    _check(token, public_code, QR_SALT, max_age)


def form_token_check(token: str, public_code: str) -> None:
    _check(token, public_code, FORM_SALT, FORM_SECONDS)


def qr_token_code(token: str, max_age: int) -> str:
    """The public code of the activity a fresh QR token was made for."""
    try:
        return signing.TimestampSigner(salt=QR_SALT).unsign(token or "", max_age=max_age)
    except signing.SignatureExpired as expired:
        raise TokenExpiredError from expired
    except signing.BadSignature as bad:
        raise TokenInvalidError from bad
