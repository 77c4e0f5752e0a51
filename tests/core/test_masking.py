"""Masked display of ID numbers, phones, names and addresses."""

import pytest

from warmhome.core.masking import mask_address, mask_citizen_id, mask_mobile, mask_name


def test_citizen_id_keeps_area_and_last_four():
    assert mask_citizen_id("370102198001011234") == "370102********1234"


def test_citizen_id_on_public_lists_keeps_only_first_and_last_character():
    assert mask_citizen_id("37010219800101123X", public=True) == "3****************X"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (None, ""),
        ("", ""),
        ("370102800101123", "370102*****1123"),  # a 15-digit legacy number
        ("3701021", "3*****1"),  # malformed: keep less, never more
        ("37", "**"),
        ("3", "*"),
    ],
)
def test_citizen_id_edge_cases_never_reveal_more(value, masked):
    assert mask_citizen_id(value) == masked


def test_public_citizen_id_of_short_values_is_all_stars():
    assert mask_citizen_id("12", public=True) == "**"
    assert mask_citizen_id("", public=True) == ""


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0531-86012345", "0531-****2345"),
        ("138-1234-5678", "138****5678"),  # not normalised: still masked
        ("+8613812345678", "*********5678"),
        ("5678", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mobile_and_landline_masking(value, masked):
    assert mask_mobile(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张秀梅", "张**"),
        ("李娜", "李*"),
        ("梅", "*"),
        ("欧阳娜娜", "欧阳**"),
        ("司马丽", "司马*"),
        ("欧阳", "欧*"),  # two characters: surname 欧, given name 阳
        ("阿依古丽·买买提", "阿***·***"),
        (" 张秀梅 ", "张**"),
        ("", ""),
        (None, ""),
    ],
)
def test_name_masking_keeps_the_surname_only(value, masked):
    assert mask_name(value) == masked


def test_address_is_shown_down_to_the_community_only():
    address = "山东省济南市历下区解放路街道解放桥社区和平路12号3单元401"

    assert mask_address(address, "解放桥社区") == "山东省济南市历下区解放路街道解放桥社区****"


def test_address_ending_at_the_community_is_shown_whole():
    assert mask_address("济南市历下区解放桥社区", "解放桥社区") == "济南市历下区解放桥社区"


def test_address_without_the_community_name_shows_the_community_only():
    assert mask_address("和平路12号3单元401", "解放桥社区") == "解放桥社区****"


def test_address_with_no_community_known_is_hidden_entirely():
    assert mask_address("和平路12号3单元401", "") == "****"
    assert mask_address("和平路12号3单元401", None) == "****"


def test_empty_address_stays_empty():
    assert mask_address("", "解放桥社区") == ""
    assert mask_address(None, "解放桥社区") == ""
