"""The seed's person categories (DOMAIN.md; issue 3): loaded by a data migration, then data."""

SEED_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("single_mother_hardship", "单亲特困母亲"),
    ("child_in_hardship", "困难儿童"),
    ("left_behind_woman", "留守妇女"),
    ("left_behind_child", "留守儿童"),
    ("sick_disabled_woman", "病残妇女"),
    ("elderly_woman", "老龄妇女"),
    ("laid_off_woman", "下岗失业妇女"),
    ("female_student", "女大学生"),
)
