"""The roles a new installation starts with. After installation they are data: the security
administrator edits them, and ``roles_ensure_defaults`` only adds what is missing, never
overwrites an edit.
"""

from django.utils.translation import gettext_lazy as _

# The business actions of each app are added to these lists as the modules arrive.
_ORG_READ = ["orgs.view"]
_ORG_WRITE = ["orgs.view", "orgs.change", "orgs.export"]
_ACTIVITIES_WORK = [
    "activities.view",
    "activities.change",
    "activities.attendance",
    "activities.export",
]
_VOLUNTEERS_WORK = [
    "volunteers.view",
    "volunteers.change",
    "volunteers.certify",
    "volunteers.export",
]
_ASSISTANCE_READ = ["assistance.view", "assistance.export"]
# A DV case opens only to its team on top of these (rights.confidentiality).
_RIGHTS_CASEWORK = ["rights.view", "rights.change", "rights.view_counts"]
# Help requests (信访/求助): ordinary org-scoped records, handled where the requester lives.
_REQUESTS_WORK = ["rights.request_view", "rights.request_handle", "rights.request_export"]

DEFAULT_ROLES: list[dict] = [
    {
        "code": "system_admin",
        "name": _("系统管理员"),
        "admin_duty": "system",
        "requires_two_factor": True,
        "actions": [
            "accounts.manage_users",
            "accounts.export",
            "core.view_jobs",
            "notifications.view_outbox",
        ],
        "description": _("管理账号的开通、停用与重置；不能授权，不能查看审计日志。"),
    },
    {
        "code": "security_admin",
        "name": _("安全管理员"),
        "admin_duty": "security",
        "requires_two_factor": True,
        "actions": ["accounts.manage_roles", "accounts.manage_posts", "orgs.view"],
        "description": _("管理角色授权和用户岗位；不能开通账号，不能查看审计日志。"),
    },
    {
        "code": "audit_admin",
        "name": _("审计管理员"),
        "admin_duty": "audit",
        "requires_two_factor": True,
        "actions": ["audit.view", "audit.export"],
        "description": _("查阅和导出审计日志；不能修改任何数据。"),
    },
    {
        "code": "district_leader",
        "name": _("区妇联领导"),
        "actions": [
            "activities.view",
            "activities.export",
            *_ORG_WRITE,
            "rules.view",
            "rules.manage",
            "people.view",
            "people.export",
            "certificates.view",
            *_ASSISTANCE_READ,
            "assistance.decide",
            "assistance.manage_fund",
            "volunteers.view",
            "volunteers.export",
            "rights.view_counts",
            "rights.break_glass",
            "rights.request_view",
            "rights.request_export",
        ],
        "description": _("全区工作的决策与审批。"),
    },
    {
        "code": "district_staff_organisation",
        "name": _("区妇联组织联络部干部"),
        "actions": [
            *_ACTIVITIES_WORK,
            *_ORG_WRITE,
            "orgs.manage_checklist",
            "rules.view",
            "people.view",
            "people.change",
            "people.export",
            "certificates.issue",
            "certificates.view",
            *_VOLUNTEERS_WORK,
            "volunteers.approve_hours",
        ],
        "description": _("组织建设、执委代表、两新组织、巾帼志愿者。"),
    },
    {
        "code": "district_staff_rights",
        "name": _("区妇联权益部干部"),
        "actions": [
            *_ACTIVITIES_WORK,
            *_ORG_READ,
            "rules.view",
            "people.view",
            "people.change",
            "people.view_sensitive",
            *_ASSISTANCE_READ,
            "assistance.change",
            "assistance.apply",
            "assistance.review",
            "assistance.decide",
            "assistance.manage_fund",
            "rights.view_counts",
            "rights.break_glass",
            *_REQUESTS_WORK,
        ],
        "description": _("维权服务、信访、反家暴、救助。"),
    },
    {
        "code": "district_staff_family",
        "name": _("区妇联家庭儿童部干部"),
        "actions": [*_ACTIVITIES_WORK, *_ORG_READ, "rules.view", "people.view"],
        "description": _("家庭教育、五好家庭、儿童工作。"),
    },
    {
        "code": "district_staff_development",
        "name": _("区妇联发展部干部"),
        "actions": [*_ACTIVITIES_WORK, *_ORG_READ, "rules.view", "people.view"],
        "description": _("创业就业、巾帼建功、妇女之家阵地。"),
    },
    {
        "code": "street_cadre",
        "name": _("街道妇联干部"),
        "actions": [
            *_ACTIVITIES_WORK,
            *_ORG_WRITE,
            "people.view",
            "people.change",
            "people.export",
            "people.view_sensitive",
            *_ASSISTANCE_READ,
            "assistance.change",
            "assistance.apply",
            "assistance.review",
            *_VOLUNTEERS_WORK,
            "volunteers.approve_hours",
            "certificates.issue",
            *_REQUESTS_WORK,
        ],
        "description": _("本街道及所辖社区的妇联工作。"),
    },
    {
        "code": "community_cadre",
        "name": _("社区妇联干部"),
        "actions": [
            *_ACTIVITIES_WORK,
            *_ORG_READ,
            "orgs.export",
            "people.view",
            "people.change",
            "people.export",
            *_ASSISTANCE_READ,
            "assistance.change",
            "assistance.apply",
            *_VOLUNTEERS_WORK,
            "certificates.issue",
            "rights.request_view",
            "rights.request_handle",
        ],
        "description": _("本社区及网格的妇联工作。"),
    },
    {
        "code": "executive_member",
        "name": _("执委/妇女代表"),
        "actions": ["activities.view", *_ORG_READ],
        "description": _("履职、收集妇情民意。"),
    },
    {
        "code": "case_worker",
        "name": _("个案工作者"),
        "requires_two_factor": True,
        "actions": [
            *_ORG_READ,
            "people.view",
            "people.view_sensitive",
            "people.shield",
            *_RIGHTS_CASEWORK,
        ],
        "description": _("反家暴工作站个案办理。"),
    },
    {
        "code": "dv_station_head",
        "name": _("反家暴工作站站长"),
        "requires_two_factor": True,
        "actions": [
            *_ORG_READ,
            "people.view",
            "people.view_sensitive",
            "people.shield",
            *_RIGHTS_CASEWORK,
            "rights.supervise",
        ],
        "description": _("工作站个案分派与监督。"),
    },
    {
        "code": "relief_approver",
        "name": _("救助金审批人"),
        "actions": [
            *_ORG_READ,
            "people.view",
            "people.view_sensitive",
            *_ASSISTANCE_READ,
            "assistance.decide",
        ],
        "description": _("维权解困救助金的审批。"),
    },
    {
        "code": "finance",
        "name": _("区妇联财务人员"),
        "actions": [*_ORG_READ, "people.view", "assistance.view", "assistance.pay"],
        "description": _("救助金的发放、退回与台账核对。"),
    },
    {
        "code": "volunteer",
        "name": _("巾帼志愿者"),
        "actions": ["volunteers.own"],
        "description": _("报名、签到、查看服务时长与证明。"),
    },
    {
        "code": "expert",
        "name": _("专家教育团成员"),
        "actions": [],
        "description": _("家庭教育课程与排期。"),
    },
    {
        "code": "resident",
        "name": _("居民"),
        "actions": [],
        "description": _("公众服务：报名、求助、证书查验。"),
    },
]
