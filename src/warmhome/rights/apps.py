from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "warmhome.rights"
    label = "rights"
    verbose_name = _("维权与反家暴")
