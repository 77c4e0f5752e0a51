from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "warmhome.volunteers"
    label = "volunteers"
    verbose_name = _("巾帼志愿服务")
