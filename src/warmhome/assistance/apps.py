from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "warmhome.assistance"
    label = "assistance"
    verbose_name = _("帮扶救助")
