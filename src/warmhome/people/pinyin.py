"""Pinyin initials of names (``张秀梅`` → ``zxm``), for finding persons by them."""

import functools

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT


def pinyin_initials(name: str) -> str:
    """``张秀梅`` → ``zxm`` (letters and digits kept as typed, lower-case)."""
    return _initials_of(name.strip())


# By whole name, not by character: pypinyin reads a name's characters together (phrases), so a
# character's reading may depend on its neighbours. Names repeat a lot in a roster.
@functools.lru_cache(maxsize=65536)
def _initials_of(name: str) -> str:
    letters = _letters_without_phrases(name)
    if letters is None:
        letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(letters).replace(" ", "").lower()[:50]


def _letters_without_phrases(name: str) -> list[str] | None:
    """The initials pypinyin gives a name of Chinese characters none of whose runs is one of its
    phrases: then it reads each character alone, as here (3 µs a name instead of 40, bulk
    imports); None for any other name (about one in a hundred), which takes pypinyin's way."""
    if not all(ord(char) in PINYIN_DICT for char in name):
        return None
    length = len(name)
    for start in range(length - 1):
        for end in range(start + 2, length + 1):
            if name[start:end] in PHRASES_DICT:
                return None
    return [_letter_alone(char) for char in name]


@functools.cache
def _letter_alone(char: str) -> str:
    return str(lazy_pinyin(char, style=Style.FIRST_LETTER)[0])
