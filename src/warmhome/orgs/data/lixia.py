"""济南市历下区: its 13 sub-districts and their communities, for the demo.

Street codes are the statistical division codes (9 digits, + "000" for the 12-digit form); the
communities with a code are real (see docs and DOMAIN.md §2). The communities without a code are
plainly synthetic ("某某街道第二社区"): a real deployment imports the official village-level list.
Each community gets ``GRIDS_PER_COMMUNITY`` synthetic grids.
"""

from typing import NamedTuple


class Community(NamedTuple):
    name: str
    code: str = ""


class Street(NamedTuple):
    code: str
    name: str
    communities: tuple[Community, ...]


DISTRICT_CODE = "370102000000"
DISTRICT_NAME = "济南市历下区"
DISTRICT_SHORT_NAME = "历下区"

GRID_NAMES = ("第一网格", "第二网格", "第三网格")

_ORDINALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")


def _synthetic(street_name: str, first: int, last: int) -> tuple[Community, ...]:
    """Communities named "<street>第N社区" for N in first..last (1-based, inclusive)."""
    return tuple(
        Community(f"{street_name}第{_ORDINALS[number - 1]}社区")
        for number in range(first, last + 1)
    )


STREETS: tuple[Street, ...] = (
    Street(
        "370102001000",
        "解放路街道",
        (Community("解放桥社区", "370102001002"), *_synthetic("解放路街道", 2, 6)),
    ),
    Street(
        "370102002000",
        "千佛山街道",
        (
            Community("佛山苑社区", "370102002002"),
            Community("千佛山东路社区", "370102002003"),
            Community("棋盘街社区", "370102002004"),
            Community("千佛山西路社区", "370102002005"),
            Community("千佛山社区", "370102002008"),
            Community("历山名郡社区", "370102002009"),
            Community("济柴社区", "370102002010"),
        ),
    ),
    Street("370102003000", "趵突泉街道", _synthetic("趵突泉街道", 1, 6)),
    Street(
        "370102004000",
        "泉城路街道",
        (
            Community("鞭指巷社区", "370102004008"),
            Community("芙蓉街社区", "370102004009"),
            *_synthetic("泉城路街道", 3, 6),
        ),
    ),
    Street("370102005000", "大明湖街道", _synthetic("大明湖街道", 1, 7)),
    Street("370102006000", "东关街道", _synthetic("东关街道", 1, 6)),
    Street("370102007000", "文东街道", _synthetic("文东街道", 1, 7)),
    Street("370102008000", "建新街道", _synthetic("建新街道", 1, 5)),
    Street("370102009000", "甸柳街道", _synthetic("甸柳街道", 1, 6)),
    Street("370102010000", "燕山街道", _synthetic("燕山街道", 1, 7)),
    Street("370102011000", "姚家街道", _synthetic("姚家街道", 1, 6)),
    Street("370102012000", "龙洞街道", _synthetic("龙洞街道", 1, 5)),
    Street("370102013000", "智远街道", _synthetic("智远街道", 1, 6)),
)
