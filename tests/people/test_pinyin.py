"""Pinyin initials of names: kept per name, never mixed up between names."""

from pypinyin import Style, lazy_pinyin

from warmhome.people.pinyin import pinyin_initials


def _uncached(name: str) -> str:
    letters = lazy_pinyin(name.strip(), style=Style.FIRST_LETTER, errors="default")
    return "".join(letters).replace(" ", "").lower()[:50]


def test_each_name_gets_its_own_initials_however_often_names_repeat():
    names = ["张秀梅", "李秀梅", "张秀梅", "曾小红", "单丽", "朴英", "Anna 李", " 王芳 ", "王芳"]

    first = [pinyin_initials(name) for name in names]
    again = [pinyin_initials(name) for name in reversed(names)]

    assert first == [_uncached(name) for name in names]
    assert again == list(reversed(first))
    assert first[:3] == ["zxm", "lxm", "zxm"]
    assert pinyin_initials(" 王芳 ") == pinyin_initials("王芳") == "wf"


def test_a_characters_reading_follows_its_neighbours_as_without_the_cache():
    # 重 reads zhong alone and chong in 重庆: the cache is by whole name, not by character.
    assert pinyin_initials("重") == _uncached("重")
    assert pinyin_initials("重庆") == _uncached("重庆")
    assert pinyin_initials("重庆花") == _uncached("重庆花")


def test_names_read_character_by_character_get_pypinyins_own_initials():
    from faker import Faker
    from pypinyin.constants import PHRASES_DICT

    from warmhome.people.pinyin import _letters_without_phrases

    fake = Faker("zh_CN")
    fake.seed_instance(7)
    phrases = sorted(phrase for phrase in PHRASES_DICT if len(phrase) <= 3)[::40]
    names = [fake.name() for _ in range(2000)] + [f"{phrase}梅" for phrase in phrases]
    names += ["长春", "曾国藩", "单丽", "火燵", "重庆花", "解小红", "Anna李"]

    for name in names:
        assert pinyin_initials(name) == _uncached(name), name
    quick = [name for name in names[:2000] if _letters_without_phrases(name) is not None]
    assert len(quick) > 1900  # most names take the quick way, which must agree with pypinyin
    assert _letters_without_phrases("重庆花") is None  # a phrase inside: pypinyin's way
