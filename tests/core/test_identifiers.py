"""Citizen IDs, credit codes and phone numbers: properties and every error message."""

import datetime
import random

import pytest
from django import forms
from django.core.exceptions import ValidationError
from faker import Faker
from hypothesis import given
from hypothesis import strategies as st

from warmhome.core.identifiers import (
    CITIZEN_ID_ALPHABET,
    CREDIT_CODE_ALPHABET,
    FAKE_AREA_CODES,
    CitizenIdField,
    CreditCodeField,
    MobileField,
    PhoneField,
    citizen_id_check_character,
    citizen_id_validator,
    fake_citizen_id,
    fake_credit_code,
    fake_landline,
    fake_mobile,
    mobile_validator,
    normalise_landline,
    normalise_mobile,
    normalise_phone,
    validate_citizen_id,
    validate_credit_code,
)

TODAY = datetime.date(2026, 6, 1)

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
sexes = st.sampled_from(["male", "female"])
areas = st.sampled_from(FAKE_AREA_CODES)
rngs = st.randoms(use_true_random=False)
credit_prefixes = st.sampled_from(
    ["11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93"]
)


def error_of(function, value, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        function(value, **kwargs)
    return caught.value.messages[0]


# --- Citizen ID: properties -----------------------------------------------------------------


@given(birth_date=birth_dates, sex=sexes, area=areas, rng=rngs)
def test_every_generated_citizen_id_is_valid_and_decodes_what_it_encodes(
    birth_date, sex, area, rng
):
    value = fake_citizen_id(birth_date, sex, area, rng=rng)

    citizen_id = validate_citizen_id(value, today=TODAY)

    assert citizen_id.value == value
    assert citizen_id.birth_date == birth_date
    assert citizen_id.sex == sex
    assert citizen_id.area_code == area


@given(
    birth_date=birth_dates,
    sex=sexes,
    area=areas,
    rng=rngs,
    position=st.integers(0, 17),
    data=st.data(),
)
def test_every_single_character_substitution_of_a_citizen_id_is_rejected(
    birth_date, sex, area, rng, position, data
):
    value = fake_citizen_id(birth_date, sex, area, rng=rng)
    replacement = data.draw(
        st.sampled_from([c for c in CITIZEN_ID_ALPHABET if c != value[position]])
    )
    altered = value[:position] + replacement + value[position + 1 :]

    with pytest.raises(ValidationError):
        validate_citizen_id(altered, today=TODAY)


@given(prefix=credit_prefixes, area=areas, rng=rngs)
def test_every_generated_credit_code_is_valid_and_keeps_its_prefix(prefix, area, rng):
    value = fake_credit_code(prefix, area, rng=rng)

    code = validate_credit_code(value)

    assert code.value == value
    assert code.prefix == prefix
    assert code.area_code == area


@given(prefix=credit_prefixes, area=areas, rng=rngs, position=st.integers(0, 17), data=st.data())
def test_every_single_character_substitution_of_a_credit_code_is_rejected(
    prefix, area, rng, position, data
):
    value = fake_credit_code(prefix, area, rng=rng)
    replacement = data.draw(
        st.sampled_from([c for c in CREDIT_CODE_ALPHABET if c != value[position]])
    )
    altered = value[:position] + replacement + value[position + 1 :]

    with pytest.raises(ValidationError):
        validate_credit_code(altered)


@given(rng=rngs)
def test_every_generated_phone_number_is_valid(rng):
    mobile = fake_mobile(rng=rng)
    landline = fake_landline(rng=rng)

    assert normalise_mobile(mobile) == mobile
    assert normalise_landline(landline) == landline
    assert normalise_phone(mobile) == mobile
    assert normalise_phone(landline) == landline


def test_citizen_ids_made_by_faker_zh_cn_are_accepted():
    faker = Faker("zh_CN")
    faker.seed_instance(11643)

    for _ in range(200):
        validate_citizen_id(faker.ssn(min_age=0, max_age=100))


# --- Citizen ID: examples -------------------------------------------------------------------


def test_legacy_15_digit_number_is_upgraded_as_in_gb_11643():
    # The standard's own example. 17 digits 11010519491231002 with the weights
    # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 give 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167;
    # 167 mod 11 = 2, and "10X98765432"[2] = "X".
    citizen_id = validate_citizen_id("110105491231002")

    assert citizen_id.value == "11010519491231002X"
    assert citizen_id.upgraded_from == "110105491231002"
    assert citizen_id.birth_date == datetime.date(1949, 12, 31)
    assert citizen_id.sex == "female"
    assert citizen_id.province_code == "11"


def test_check_character_function_matches_the_hand_computation():
    assert citizen_id_check_character("11010519491231002") == "X"


def test_lower_case_x_is_accepted_and_stored_upper_case():
    assert validate_citizen_id("11010519491231002x").value == "11010519491231002X"


def test_spaces_and_full_width_digits_are_removed_before_checking():
    typed = " １１０１０５ 19491231 002X\u3000\n"

    assert validate_citizen_id(typed).value == "11010519491231002X"


def test_odd_17th_digit_means_male():
    value = fake_citizen_id(datetime.date(1980, 1, 1), "male")

    assert int(value[16]) % 2 == 1
    assert validate_citizen_id(value).sex == "male"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写身份证号。"),
        ("11010519491231002", "身份证号应为18位，当前为17位。"),
        ("11010519491231002X1", "身份证号应为18位，当前为19位。"),
        ("1101051949123100AX", "身份证号第 17 位含非法字符“A”：前17位应为数字。"),
        ("11010519491231002Y", "身份证号第 18 位含非法字符“Y”：校验位应为数字或 X。"),
        ("11010549123100A", "15位旧身份证号第 15 位含非法字符“A”：应全部为数字。"),
        ("990105194912310025", "身份证号前两位“99”不是有效的省级行政区划代码。"),
        ("370102202302301236", "身份证号中的出生日期 2023-02-30 不存在。"),
        ("370102198013011234", "身份证号中的出生日期 1980-13-01 不存在。"),
        ("440524188001010014", "身份证号中的出生日期 1880-01-01 早于 1900 年。"),
        ("370102203001011234", "身份证号中的出生日期 2030-01-01 晚于今天。"),
        ("110105194912310025", "身份证号校验位错误：应为 X，实际为 5。"),
    ],
)
def test_each_citizen_id_error_says_what_is_wrong(value, message):
    assert error_of(validate_citizen_id, value, today=TODAY) == message


def test_a_leap_day_birth_date_is_accepted_only_in_leap_years():
    assert validate_citizen_id(fake_citizen_id(datetime.date(2000, 2, 29), "female"))
    first17 = "37010219000229123"  # 1900 was not a leap year
    value = first17 + citizen_id_check_character(first17)

    assert error_of(validate_citizen_id, value) == "身份证号中的出生日期 1900-02-29 不存在。"


# --- Credit code: examples ------------------------------------------------------------------


def test_published_credit_code_example_is_valid():
    # Σ v·w = 1640 over 91350100M000100Y4 (M = 21, Y = 30); 1640 mod 31 = 28; 31 − 28 = 3.
    code = validate_credit_code("91350100M000100Y43")

    assert code.registration_authority == "9"
    assert code.kind == "1"
    assert code.organisation_code == "M000100Y4"


def test_credit_code_is_upper_cased_and_trimmed():
    assert validate_credit_code(" 91350100m000100y43 ").value == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写统一社会信用代码。"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，当前为17位。"),
        ("9135I100M000100Y43", "统一社会信用代码第 5 位含非法字符“I”。"),
        ("91350100O000100Y43", "统一社会信用代码第 9 位含非法字符“O”。"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误：应为 3，实际为 4。"),
    ],
)
def test_each_credit_code_error_says_what_is_wrong(value, message):
    assert error_of(validate_credit_code, value) == message


# --- Phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "8613812345678",
        "0086 13812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_numbers_are_stored_as_11_digits(typed):
    assert normalise_mobile(typed) == "13812345678"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写手机号。"),
        ("1381234567", "手机号应为 11 位数字，当前为 10 位。"),
        ("12812345678", "手机号应为 11 位数字，以 13–19 开头，当前以“12”开头。"),
        ("138l2345678", "手机号含非法字符“l”。"),
        ("+85291234567", "手机号只接受中国大陆号码（+86），当前为“+852”。"),
    ],
)
def test_each_mobile_error_says_what_is_wrong(value, message):
    assert error_of(normalise_mobile, value) == message


@pytest.mark.parametrize(
    "typed", ["0531-86012345", "0531 86012345", "(0531)86012345", "053186012345", "86012345"]
)
def test_jinan_landlines_are_stored_with_area_code_and_dash(typed):
    assert normalise_landline(typed) == "0531-86012345"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("010-12345678", "固定电话应为济南号码（区号 0531），当前为“01012345678”。"),
        (
            "0531-8601234",
            "固定电话应为 0531- 加 8 位号码（例如 0531-86012345），当前为“05318601234”。",
        ),
        ("0531-8601234a", "固定电话含非法字符“a”。"),
    ],
)
def test_each_landline_error_says_what_is_wrong(value, message):
    assert error_of(normalise_landline, value) == message


def test_a_contact_number_may_be_a_mobile_or_a_landline():
    assert normalise_phone("+86 13812345678") == "13812345678"
    assert normalise_phone("0531 86012345") == "0531-86012345"
    assert error_of(normalise_phone, "1381234567") == "手机号应为 11 位数字，当前为 10 位。"


# --- Form fields and model validators ---------------------------------------------------------


class PersonForm(forms.Form):
    id_number = CitizenIdField(label="身份证号")
    credit_code = CreditCodeField(label="统一社会信用代码", required=False)
    mobile = MobileField(label="手机号", required=False)
    phone = PhoneField(label="联系电话", required=False)


def test_form_fields_give_normalised_values():
    form = PersonForm(
        data={
            "id_number": "110105491231002",
            "credit_code": "91350100m000100y43",
            "mobile": "+86 138-1234-5678",
            "phone": "86012345",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "id_number": "11010519491231002X",
        "credit_code": "91350100M000100Y43",
        "mobile": "13812345678",
        "phone": "0531-86012345",
    }


def test_form_field_shows_the_precise_chinese_error():
    form = PersonForm(data={"id_number": "110105194912310025"})

    assert not form.is_valid()
    assert form.errors["id_number"] == ["身份证号校验位错误：应为 X，实际为 5。"]


def test_optional_form_fields_accept_blank():
    form = PersonForm(data={"id_number": "11010519491231002X", "mobile": "  "})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["mobile"] == ""


def test_model_validators_reject_values_not_stored_in_normal_form():
    citizen_id_validator("11010519491231002X")
    mobile_validator("13812345678")

    assert error_of(citizen_id_validator, "11010519491231002x") == (
        "身份证号未按规范格式保存：应为“11010519491231002X”。"
    )
    assert error_of(mobile_validator, "+8613812345678") == (
        "手机号未按规范格式保存：应为“13812345678”。"
    )
    assert error_of(mobile_validator, "1381234567") == "手机号应为 11 位数字，当前为 10 位。"


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311  (reproducible synthetic data, not a secret)


def test_fake_values_are_reproducible_with_a_seeded_generator():
    assert fake_citizen_id(rng=seeded(7)) == fake_citizen_id(rng=seeded(7))
    assert fake_credit_code("51", rng=seeded(7)).startswith("51370102")
