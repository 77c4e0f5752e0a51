"""Chinese identifiers: citizen ID (GB 11643), unified social credit code (GB 32100), phones.

Contract: every ``validate_*`` / ``normalise_*`` function takes what a person typed (full-width
digits, spaces, lower-case ``x``, ``+86`` …), returns the normalised value (or a small dataclass
around it) and raises ``django.core.exceptions.ValidationError`` with a Chinese message that
names exactly what is wrong. Store only normalised values. The ``fake_*`` functions generate
valid synthetic values for tests and demo data; they never produce a real person's number on
purpose, though any valid-looking number may exist.

See DOMAIN.md §3 for the algorithms.
"""

import datetime
import operator
import random
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from faker.providers.ssn.zh_CN import Provider as ZhCnSsnProvider

Sex = Literal["male", "female"]

# --- Citizen ID (GB 11643) --------------------------------------------------------------------

CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CITIZEN_ID_CHECK_CHARACTERS = "10X98765432"
#: the characters a normalised citizen ID is made of (X only as the check character)
CITIZEN_ID_ALPHABET = "0123456789X"
#: two-digit province-level prefixes: the mainland provinces, Taiwan (71), Hong Kong (81),
#: Macao (82), and 83 (residence permits of Taiwan residents)
PROVINCE_CODES = frozenset(
    [str(code) for code in range(11, 16)]
    + [str(code) for code in range(21, 24)]
    + [str(code) for code in range(31, 38)]
    + [str(code) for code in range(41, 47)]
    + [str(code) for code in range(50, 55)]
    + [str(code) for code in range(61, 66)]
    + ["71", "81", "82", "83"]
)
EARLIEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class CitizenId:
    """A valid, normalised 18-character citizen ID and what it encodes."""

    value: str
    area_code: str
    birth_date: datetime.date
    #: derived from the 17th digit (odd: male); the person's declared sex is stored separately
    sex: Sex
    #: the 15-digit number this one was upgraded from, if it was given in the legacy form
    upgraded_from: str | None = None

    @property
    def province_code(self) -> str:
        return self.area_code[:2]

    def __str__(self) -> str:
        return self.value


def citizen_id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    if len(first17) != len(CITIZEN_ID_WEIGHTS):
        raise ValueError(f"expected 17 digits, got {len(first17)}")
    total = sum(map(operator.mul, map(int, first17), CITIZEN_ID_WEIGHTS))
    return CITIZEN_ID_CHECK_CHARACTERS[total % 11]


def _clean_input(value: object) -> str:
    text = "" if value is None else str(value)
    if text.isascii() and text.isalnum():
        return text.upper()  # what the two steps below give (bulk imports: three IDs a row)
    # NFKC turns full-width digits and letters (typed through a Chinese IME) into ASCII.
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).upper()


def _first_bad_character(text: str, allowed: str) -> tuple[int, str] | None:
    for position, character in enumerate(text, start=1):
        if character not in allowed:
            return position, character
    return None


def validate_citizen_id(value: object, *, today: datetime.date | None = None) -> CitizenId:
    """Validate a citizen ID (18 characters, or a 15-digit legacy number) and normalise it."""
    text = _clean_input(value)
    if not text:
        raise ValidationError(_("请填写身份证号。"), code="required")
    if len(text) == 15:
        return _upgrade_legacy_citizen_id(text, today=today)
    if len(text) != 18:
        raise ValidationError(
            _("身份证号应为18位，当前为%(length)d位。"),
            code="length",
            params={"length": len(text)},
        )
    bad = (
        None
        if text[:17].isdigit() and text.isascii()
        else _first_bad_character(text[:17], "0123456789")
    )
    if bad is not None:
        raise ValidationError(
            _("身份证号第 %(position)d 位含非法字符“%(character)s”：前17位应为数字。"),
            code="character",
            params={"position": bad[0], "character": bad[1]},
        )
    if text[17] not in CITIZEN_ID_ALPHABET:
        raise ValidationError(
            _("身份证号第 18 位含非法字符“%(character)s”：校验位应为数字或 X。"),
            code="character",
            params={"character": text[17]},
        )
    area_code = _check_province(text[:6])
    birth_date = _check_birth_date(text[6:14], today=today)
    expected = citizen_id_check_character(text[:17])
    if text[17] != expected:
        raise ValidationError(
            _("身份证号校验位错误：应为 %(expected)s，实际为 %(actual)s。"),
            code="check",
            params={"expected": expected, "actual": text[17]},
        )
    sex: Sex = "male" if int(text[16]) % 2 else "female"
    return CitizenId(value=text, area_code=area_code, birth_date=birth_date, sex=sex)


def _upgrade_legacy_citizen_id(text: str, *, today: datetime.date | None) -> CitizenId:
    bad = _first_bad_character(text, "0123456789")
    if bad is not None:
        raise ValidationError(
            _("15位旧身份证号第 %(position)d 位含非法字符“%(character)s”：应全部为数字。"),
            code="character",
            params={"position": bad[0], "character": bad[1]},
        )
    # GB 11643-1999: the century "19" goes after the area code; the check is then computed.
    first17 = text[:6] + "19" + text[6:]
    upgraded = validate_citizen_id(first17 + citizen_id_check_character(first17), today=today)
    return CitizenId(
        value=upgraded.value,
        area_code=upgraded.area_code,
        birth_date=upgraded.birth_date,
        sex=upgraded.sex,
        upgraded_from=text,
    )


def _check_province(area_code: str) -> str:
    if area_code[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号前两位“%(code)s”不是有效的省级行政区划代码。"),
            code="province",
            params={"code": area_code[:2]},
        )
    return area_code


def _local_today() -> datetime.date:
    # timezone.localdate() costs a few µs; a bulk import checks three IDs per row.
    global _today_cache
    second = int(time.monotonic())
    if _today_cache[0] != second:
        _today_cache = (second, timezone.localdate())
    return _today_cache[1]


_today_cache: tuple[int, datetime.date] = (-1, datetime.date.min)


def _check_birth_date(digits: str, *, today: datetime.date | None) -> datetime.date:
    def shown() -> str:
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"

    try:
        birth_date = datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise ValidationError(
            _("身份证号中的出生日期 %(date)s 不存在。"), code="date", params={"date": shown()}
        ) from None
    if birth_date.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("身份证号中的出生日期 %(date)s 早于 1900 年。"),
            code="date",
            params={"date": shown()},
        )
    if birth_date > (today or _local_today()):
        raise ValidationError(
            _("身份证号中的出生日期 %(date)s 晚于今天。"), code="date", params={"date": shown()}
        )
    return birth_date


# --- Unified social credit code (GB 32100) ----------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_VALUES = {character: index for index, character in enumerate(CREDIT_CODE_ALPHABET)}


@dataclass(frozen=True)
class CreditCode:
    """A valid unified social credit code and its parts."""

    value: str

    @property
    def registration_authority(self) -> str:
        """Position 1: the registering authority (9 = market regulation, 5 = civil affairs …)."""
        return self.value[0]

    @property
    def kind(self) -> str:
        """Position 2: the kind of organisation under that authority (1 = enterprise …)."""
        return self.value[1]

    @property
    def prefix(self) -> str:
        """Positions 1–2, e.g. 91 enterprise, 51 social group, 52 private non-enterprise unit."""
        return self.value[:2]

    @property
    def area_code(self) -> str:
        return self.value[2:8]

    @property
    def organisation_code(self) -> str:
        return self.value[8:17]

    def __str__(self) -> str:
        return self.value


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character: 31 − (Σ value·weight mod 31), 31 becoming 0."""
    total = sum(
        _CREDIT_CODE_VALUES[character] * weight
        for character, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: object) -> CreditCode:
    """Validate a unified social credit code and normalise it (upper case, no spaces)."""
    text = _clean_input(value)
    if not text:
        raise ValidationError(_("请填写统一社会信用代码。"), code="required")
    if len(text) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(length)d位。"),
            code="length",
            params={"length": len(text)},
        )
    bad = _first_bad_character(text, CREDIT_CODE_ALPHABET)
    if bad is not None:
        raise ValidationError(
            _("统一社会信用代码第 %(position)d 位含非法字符“%(character)s”。"),
            code="character",
            params={"position": bad[0], "character": bad[1]},
        )
    expected = credit_code_check_character(text[:17])
    if text[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：应为 %(expected)s，实际为 %(actual)s。"),
            code="check",
            params={"expected": expected, "actual": text[17]},
        )
    return CreditCode(value=text)


# --- Phones ---------------------------------------------------------------------------------

JINAN_AREA_CODE = "0531"
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_PUNCTUATION = re.compile(r"[\s\-()（）]")


def normalise_mobile(value: object) -> str:
    """A mainland mobile number as 11 digits (``+86``, ``86``, spaces and dashes removed)."""
    text = _PHONE_PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(value or "")))
    if not text:
        raise ValidationError(_("请填写手机号。"), code="required")
    if text.startswith("+"):
        if not text.startswith("+86"):
            raise ValidationError(
                _("手机号只接受中国大陆号码（+86），当前为“%(prefix)s”。"),
                code="country",
                params={"prefix": text[:4]},
            )
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    bad = _first_bad_character(text, "0123456789")
    if bad is not None:
        raise ValidationError(
            _("手机号含非法字符“%(character)s”。"),
            code="character",
            params={"character": bad[1]},
        )
    if len(text) != 11:
        raise ValidationError(
            _("手机号应为 11 位数字，当前为 %(length)d 位。"),
            code="length",
            params={"length": len(text)},
        )
    if not _MOBILE.fullmatch(text):
        raise ValidationError(
            _("手机号应为 11 位数字，以 13–19 开头，当前以“%(prefix)s”开头。"),
            code="prefix",
            params={"prefix": text[:2]},
        )
    return text


def normalise_landline(value: object) -> str:
    """A Jinan landline as ``0531-`` + 8 digits; a bare 8-digit local number gets the prefix."""
    text = _PHONE_PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(value or "")))
    if not text:
        raise ValidationError(_("请填写固定电话。"), code="required")
    bad = _first_bad_character(text, "0123456789")
    if bad is not None:
        raise ValidationError(
            _("固定电话含非法字符“%(character)s”。"),
            code="character",
            params={"character": bad[1]},
        )
    if len(text) == 8 and text[0] != "0":
        text = JINAN_AREA_CODE + text
    if text.startswith("0") and not text.startswith(JINAN_AREA_CODE):
        raise ValidationError(
            _("固定电话应为济南号码（区号 0531），当前为“%(value)s”。"),
            code="area",
            params={"value": text},
        )
    if len(text) != 12 or text[4] == "0":
        raise ValidationError(
            _("固定电话应为 0531- 加 8 位号码（例如 0531-86012345），当前为“%(value)s”。"),
            code="format",
            params={"value": text},
        )
    return f"{text[:4]}-{text[4:]}"


def normalise_phone(value: object) -> str:
    """A contact number: a mobile (11 digits) or a Jinan landline (``0531-`` + 8 digits)."""
    stripped = _PHONE_PUNCTUATION.sub("", unicodedata.normalize("NFKC", str(value or "")))
    looks_mobile = stripped.startswith(("+", "1", "0086")) or (
        len(stripped) == 13 and stripped.startswith("86")
    )
    return normalise_mobile(value) if looks_mobile else normalise_landline(value)


# --- Model-field validators (the stored value must already be normalised) ----------------------


def _require_normalised(normalised: str, value: object, label: str) -> None:
    if normalised != value:
        raise ValidationError(
            _("%(label)s未按规范格式保存：应为“%(normalised)s”。"),
            code="not_normalised",
            params={"label": label, "normalised": normalised},
        )


def citizen_id_validator(value: str) -> None:
    _require_normalised(validate_citizen_id(value).value, value, str(_("身份证号")))


def credit_code_validator(value: str) -> None:
    _require_normalised(validate_credit_code(value).value, value, str(_("统一社会信用代码")))


def mobile_validator(value: str) -> None:
    _require_normalised(normalise_mobile(value), value, str(_("手机号")))


def phone_validator(value: str) -> None:
    _require_normalised(normalise_phone(value), value, str(_("联系电话")))


# --- Form fields (normalise what was typed; ``cleaned_data`` holds the stored form) -----------


class _NormalisingField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def normalise(self, value: str) -> str:
        raise NotImplementedError

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if text in self.empty_values:
            return ""
        return self.normalise(text)


class CitizenIdField(_NormalisingField):
    """Citizen ID input; ``cleaned_data`` holds the normalised 18 characters."""

    def normalise(self, value: str) -> str:
        return validate_citizen_id(value).value


class CreditCodeField(_NormalisingField):
    """Unified social credit code input; ``cleaned_data`` holds the upper-case 18 characters."""

    def normalise(self, value: str) -> str:
        return validate_credit_code(value).value


class MobileField(_NormalisingField):
    """Mobile number input; ``cleaned_data`` holds 11 digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")

    def normalise(self, value: str) -> str:
        return normalise_mobile(value)


class PhoneField(MobileField):
    """Mobile or Jinan landline input."""

    def normalise(self, value: str) -> str:
        return normalise_phone(value)


# --- Synthetic values for tests and demo data --------------------------------------------------

#: real county-level area codes (Faker's zh_CN list) whose province prefix we accept
FAKE_AREA_CODES = tuple(
    code
    for code in ZhCnSsnProvider.area_codes
    if code[:2] in PROVINCE_CODES and not code.endswith("00")
)
MOBILE_PREFIXES = (
    *(f"13{digit}" for digit in range(10)),
    *("150", "151", "152", "153", "155", "156", "157", "158", "159"),
    *("166", "173", "175", "176", "177", "178"),
    *(f"18{digit}" for digit in range(10)),
    *("191", "198", "199"),
)


def _random_birth_date(rng: random.Random) -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=rng.randint(18 * 365, 90 * 365))


def fake_citizen_id(
    birth_date: datetime.date | None = None,
    sex: Sex | None = None,
    area: str | None = "370102",
    *,
    rng: random.Random | None = None,
) -> str:
    """A valid synthetic citizen ID; ``area=None`` picks a real county code at random."""
    rng = rng or random.Random()  # noqa: S311  (synthetic data, not a secret)
    area_code = area if area is not None else rng.choice(FAKE_AREA_CODES)
    birth_date = birth_date or _random_birth_date(rng)
    sex = sex or rng.choice(("male", "female"))
    sequence = f"{rng.randint(0, 99):02d}" + str(
        rng.choice(range(1 if sex == "male" else 0, 10, 2))
    )
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence}"
    return first17 + citizen_id_check_character(first17)


def _organisation_code_check(body: str) -> str:
    # GB 11714: the 9th character of the organisation code checks the first eight.
    total = sum(
        int(digit) * weight for digit, weight in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def fake_credit_code(
    prefix: str = "91", area: str = "370102", *, rng: random.Random | None = None
) -> str:
    """A valid synthetic unified social credit code (``91`` enterprise, ``51`` social group …)."""
    rng = rng or random.Random()  # noqa: S311  (synthetic data, not a secret)
    body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = f"{prefix}{area}{body}{_organisation_code_check(body)}"
    return first17 + credit_code_check_character(first17)


def fake_mobile(*, rng: random.Random | None = None) -> str:
    """A valid synthetic mainland mobile number (11 digits)."""
    rng = rng or random.Random()  # noqa: S311  (synthetic data, not a secret)
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def fake_landline(*, rng: random.Random | None = None) -> str:
    """A valid synthetic Jinan landline (``0531-`` + 8 digits)."""
    rng = rng or random.Random()  # noqa: S311  (synthetic data, not a secret)
    return f"{JINAN_AREA_CODE}-{rng.randint(2, 8)}" + "".join(
        rng.choice("0123456789") for _ in range(7)
    )
