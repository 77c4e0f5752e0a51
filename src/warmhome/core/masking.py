"""Masked display of personal information, on the server (GB/T 35273; DOMAIN.md §4).

Masking is the default everywhere; the full value is shown only to users with the permission, and
each full display is logged (``core.audit.services.sensitive_read_log``). Every function takes
``None`` or ``""`` and returns ``""``, and never fails on a value of an unexpected length: it
masks more rather than less.
"""

import re

MASK = "*"
_LANDLINE = re.compile(r"(0\d{2,3})-(\d+)")

#: two-character surnames kept whole by ``mask_name`` (the common ones; a name not listed is
#: treated as having a one-character surname, which masks more, never less)
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐", "钟离", "端木", "南宫", "西门",
        "独孤", "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "呼延", "闻人", "万俟",
        "赫连", "单于", "百里", "东郭", "拓跋", "第五", "左丘", "公羊", "梁丘", "羊舌",
    }
)  # fmt: skip


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return MASK * len(value)
    return value[:head] + MASK * (len(value) - head - tail) + value[len(value) - tail :]


def mask_citizen_id(value: str | None, *, public: bool = False) -> str:
    """``370102********1234``; on public lists ``3****************4``."""
    if not value:
        return ""
    if public:
        return _keep_ends(value, 1, 1)
    # Fewer than 6 + 4 + 4 characters: the number is malformed; keep less of it.
    return _keep_ends(value, 6, 4) if len(value) >= 14 else _keep_ends(value, 1, 1)


def mask_mobile(value: str | None) -> str:
    """``138****5678``; a landline keeps its area code: ``0531-****2345``."""
    if not value:
        return ""
    landline = _LANDLINE.fullmatch(value)
    if landline is not None:
        return f"{landline[1]}-{_keep_ends(landline[2], 0, 4)}"
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11:
        return _keep_ends(digits, 3, 4)
    # Not a normalised number: show at most the last four digits.
    return _keep_ends(digits, 0, 4) if len(digits) >= 8 else MASK * len(digits)


def mask_name(value: str | None) -> str:
    """``张**``: the surname stays, every other character becomes ``*`` (``·`` and spaces stay)."""
    if not value:
        return ""
    name = value.strip()
    if len(name) <= 1:
        return MASK * len(name)
    # A two-character name is read as surname + given name even if it spells a compound surname.
    kept = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    rest = "".join(character if character in "·• " else MASK for character in name[kept:])
    return name[:kept] + rest


def mask_address(value: str | None, community_name: str | None) -> str:
    """The address down to the community (``…解放桥社区****``); the rest is hidden."""
    if not value:
        return ""
    community = (community_name or "").strip()
    position = value.find(community) if community else -1
    if position < 0:
        return f"{community}{MASK * 4}"
    end = position + len(community)
    shown = value[:end]
    return shown if end >= len(value.rstrip()) else f"{shown}{MASK * 4}"
