"""The managed lists a new installation starts with (the seed programme's names)."""

#: 一(一)2: 扶贫帮困、普法宣传、法律咨询、心灵关怀、文体环保
SEED_SERVICE_CATEGORIES = (
    ("poverty_relief", "扶贫帮困"),
    ("law_publicity", "普法宣传"),
    ("legal_advice", "法律咨询"),
    ("psychological_care", "心灵关怀"),
    ("culture_environment", "文体环保"),
)

#: 一(一)2 巾帼志愿者队伍; 三(一)1 反家暴志愿者队伍; the specialised teams the programme names
SEED_TEAM_KINDS = (
    ("women", "巾帼志愿者服务队"),
    ("anti_dv", "反家暴志愿者队伍"),
    ("legal", "法律服务志愿队"),
    ("psychological", "心理服务志愿队"),
    ("expert", "专家志愿服务队"),
)
