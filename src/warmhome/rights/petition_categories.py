"""The petition statistics categories a new installation starts with (DOMAIN.md §5), each with
the opinion topic (DOMAIN.md §11) it counts under. After installation they are data: a
superuser adds or retires categories in the admin; the topic of each stays editable there."""

from typing import Any

#: (code, name, topic, [(code, name, topic), ...])
SEED_PETITION_CATEGORIES: tuple[tuple[str, str, str, list[tuple[str, str, str]]], ...] = (
    ("political", "政治权利", "OTHER", []),
    (
        "personal",
        "人身权益",
        "RIGHTS",
        [
            ("personal_injury", "伤害", "RIGHTS"),
            ("sexual_harassment", "性骚扰", "RIGHTS"),
            ("trafficking", "拐卖", "RIGHTS"),
            ("privacy", "隐私", "RIGHTS"),
        ],
    ),
    ("education", "文化教育", "OTHER", []),
    (
        "labour",
        "劳动和社会保障",
        "LABOUR",
        [
            ("labour_rights", "劳动", "LABOUR"),
            ("social_security", "社保", "LABOUR"),
            ("gender_discrimination", "性别歧视", "LABOUR"),
        ],
    ),
    (
        "property",
        "财产权益",
        "RIGHTS",
        [
            ("land", "土地/集体收益", "RIGHTS"),
            ("housing", "房产", "RIGHTS"),
            ("inheritance", "继承", "RIGHTS"),
        ],
    ),
    (
        "marriage",
        "婚姻家庭",
        "MARRIAGE",
        [
            ("family_dispute", "家庭纠纷", "MARRIAGE"),
            ("marriage_interference", "干涉婚姻", "MARRIAGE"),
            ("affair_bigamy", "外遇/重婚", "MARRIAGE"),
            ("divorce", "离婚-财产/抚养", "MARRIAGE"),
            ("domestic_violence", "家庭暴力", "DV"),
            ("support_elderly", "赡养", "MARRIAGE"),
        ],
    ),
    (
        "general",
        "综合",
        "OTHER",
        [
            ("assistance", "求助", "OTHER"),
            ("consultation", "咨询", "OTHER"),
            ("other", "其他", "OTHER"),
        ],
    ),
)


def seed_categories(category_model: Any) -> int:
    """Create the missing seed categories (by code); returns how many were made."""
    made = 0
    for order, (code, name, topic, children) in enumerate(SEED_PETITION_CATEGORIES, start=1):
        parent, created = category_model.objects.get_or_create(
            code=code, defaults={"name": name, "topic": topic, "order": order * 10}
        )
        made += created
        for index, (child_code, child_name, child_topic) in enumerate(children, start=1):
            _child, created = category_model.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "topic": child_topic,
                    "parent": parent,
                    "order": order * 10 + index,
                },
            )
            made += created
    return made
