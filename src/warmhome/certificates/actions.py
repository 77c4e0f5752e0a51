from django.utils.translation import gettext_lazy as _

from warmhome.core.actions import register

register("certificates.view", _("查看证书"))
register("certificates.issue", _("颁发和撤销证书"))
