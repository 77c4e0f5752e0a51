from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

# Seeing a case needs rights.view *and* being on its team (assigned or station head): see
# rights.confidentiality. The last two actions never open a case by themselves.
register("rights.view", _("查看所承办的反家暴个案"))
register("rights.change", _("办理所承办的反家暴个案"))
register("rights.supervise", _("反家暴工作站站长：查看本站全部个案并分派承办人"))
register("rights.view_counts", _("查看反家暴个案匿名统计"))
register("rights.break_glass", _("紧急查阅反家暴个案（须填写事由并通知站长）"))

# Help requests (信访/求助) are ordinary org-scoped records, not confidential like DV cases.
register("rights.request_view", _("查看求助信访事项和法律咨询"))
register("rights.request_handle", _("登记、受理、转办、答复、回访求助信访事项"))
register("rights.request_export", _("查看和导出求助信访匿名统计"))
