"""The checklist a new installation starts with for each stage (先建立、后完善、再提高).

No national list exists (DOMAIN.md §2, [assumed]): these are the items local federations
commonly publish; the district edits the list in the workbench (``StageCriterion``).
"""

SEED_CRITERIA: tuple[tuple[str, str], ...] = (
    ("established", "妇女组织已按章程选举产生，有选举结果或批复文件"),
    ("established", "已配备主席（负责人）"),
    ("established", "有固定的联系方式和活动场所"),
    ("improved", "主席、副主席、执委配备齐全，分工明确"),
    ("improved", "有妇女之家等固定阵地，并挂牌"),
    ("improved", "有年度工作经费保障"),
    ("improved", "工作制度、年度计划健全"),
    ("elevated", "全年开展活动不少于 6 次，有记录"),
    ("elevated", "形成有特色的工作品牌或项目"),
    ("elevated", "获得上级表彰或经验被推广"),
)
