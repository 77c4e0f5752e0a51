"""Excel exports of the accounts app."""

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from warmhome.accounts.models import User

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    # A cell starting like a formula would run as one in Excel.
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def roster_workbook(users: list[User]) -> bytes:
    """The accounts as one Excel sheet (``users`` carry ``current_post_list``)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("用户名册"))
    sheet.append(
        [
            _("用户名"),
            _("姓名"),
            _("手机号"),
            _("电子邮箱"),
            _("状态"),
            _("当前岗位"),
            _("最近登录"),
            _("开通时间"),
        ]
    )
    for user in users:
        posts = "；".join(
            f"{post.org.name} {post.role.name}" for post in getattr(user, "current_post_list", [])
        )
        last_login = (
            timezone.localtime(user.last_login).strftime("%Y-%m-%d %H:%M")
            if user.last_login
            else ""
        )
        row = [
            user.username,
            user.display_name,
            user.phone,
            user.email,
            _("启用") if user.is_active else _("已停用"),
            posts,
            last_login,
            timezone.localtime(user.date_joined).strftime("%Y-%m-%d %H:%M"),
        ]
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
